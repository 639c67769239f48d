namespace Infera.Server.Hosting;

/// <summary>Settings of one Infera server process. Every path defaults to a place under <see cref="DataDirectory"/>.</summary>
public sealed class InferaServerOptions
{
    /// <summary>The data folder holding the SQLite file, object store, model copies and instance folders. Default <c>./.data</c>.</summary>
    public string DataDirectory { get; set; } = Path.GetFullPath(".data");

    /// <summary>Listen URLs separated by <c>;</c>. Default <c>http://127.0.0.1:8090</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8090";

    /// <summary>The Python interpreter that runs model-service instances. Default Debian's <c>/usr/bin/python3</c>.</summary>
    public string PythonPath { get; set; } = "/usr/bin/python3";

    /// <summary>Folder of the Python model-service runtime; null means the copy shipped beside the assemblies.</summary>
    public string? PythonRuntimeDirectory { get; set; }

    /// <summary>Debug-level logging.</summary>
    public bool Verbose { get; set; }

    /// <summary>
    /// The 256-bit key file that encrypts AK secrets, AppSecrets and AppCodes at rest (AES-GCM). Null means the
    /// <c>INFERA_SECRETS_KEY_FILE</c> environment variable, else <c>&lt;data&gt;/secrets.key</c>, created on first start with mode 0600. Keep it off the database's backups
    /// (or point this elsewhere) so a database dump alone reveals no secret.
    /// </summary>
    public string? SecretsKeyFile { get; set; }

    /// <summary>
    /// How long a write to the metadata store waits while another connection or process holds its write lock; then the
    /// call answers 503 ModelArts.0501 with <c>Retry-After</c> and background loops back off (issue #20). Whole seconds
    /// from 1 to 60; default 5 s. Reads and inference never wait for it.
    /// </summary>
    public TimeSpan StoreBusyTimeout { get; set; } = Storage.Sqlite.InferaDatabase.DefaultBusyTimeout;

    /// <summary>Back-off of failing background loops (issue #20).</summary>
    public Background.BackgroundLoopOptions BackgroundLoops { get; set; } = new();

    /// <summary>Every error of these options, each naming its setting; empty when valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (StoreBusyTimeout < TimeSpan.FromSeconds(1) || StoreBusyTimeout > TimeSpan.FromSeconds(60))
        {
            yield return $"StoreBusyTimeout (--store-busy-timeout) must be 1-60 seconds, not {StoreBusyTimeout.TotalSeconds} s.";
        }

        foreach (var error in BackgroundLoops.Validate())
        {
            yield return error;
        }
    }

    /// <summary>Authentication policy switches of spec/auth.md (defaults in <see cref="Identity.AuthOptions"/>).</summary>
    public Identity.AuthOptions Auth { get; set; } = new();

    /// <summary>Batch-service limits and the URL allow-list of manifest downloads (issue #4).</summary>
    public Batch.BatchOptions Batch { get; set; } = new();
}
