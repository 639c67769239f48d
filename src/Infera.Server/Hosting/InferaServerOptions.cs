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

    /// <summary>Authentication policy switches of spec/auth.md (defaults in <see cref="Identity.AuthOptions"/>).</summary>
    public Identity.AuthOptions Auth { get; set; } = new();

    /// <summary>Batch-service limits and the URL allow-list of manifest downloads (issue #4).</summary>
    public Batch.BatchOptions Batch { get; set; } = new();
}
