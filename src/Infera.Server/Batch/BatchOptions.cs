namespace Infera.Server.Batch;

/// <summary>Limits and policies of batch services (issue #4), part of the server's options.</summary>
public sealed class BatchOptions
{
    /// <summary>Largest input (object or download) in bytes; default 12 MB as seed 003 §3.2.1 advises ("建议单张图片小于12MB").</summary>
    public long MaxInputBytes { get; set; } = 12 * 1024 * 1024;

    /// <summary>Time limit of one URL download (connect to last byte). Default 60 s.</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time limit of one inference request to an instance. Default 120 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Lines per result manifest before it continues in <c>_1</c>, <c>_2</c>… (seed 003 "可能会有多个manifest文件"). Default 10000.</summary>
    public int ManifestMaxLines { get; set; } = 10000;

    /// <summary>Requests in flight per instance. Default 2.</summary>
    public int ConcurrencyPerInstance { get; set; } = 2;

    /// <summary>Manifest lines (inputs) per manifest input at most. Default 1,000,000.</summary>
    public int MaxManifestInputs { get; set; } = 1_000_000;

    /// <summary>
    /// Hosts and address ranges manifest URLs may reach although they are loopback, private, link-local,
    /// unique-local or multicast (refused otherwise, against server-side request forgery): host names
    /// (<c>files.internal</c>), addresses (<c>10.1.2.3</c>) or CIDR ranges (<c>10.0.0.0/8</c>, <c>fd00::/8</c>).
    /// A host on this list may also be reached over plain <c>http://</c>; every other URL must be <c>https://</c>.
    /// The <c>INFERA_BATCH_URL_ALLOW_LIST</c> environment variable (comma separated) adds entries.
    /// </summary>
    public IList<string> UrlAllowList { get; } = [];
}
