namespace Infera.Runtime.Processes;

/// <summary>What to start for one instance (the instance contract of ARCHITECTURE.md).</summary>
public sealed record InstanceSpec
{
    /// <summary>Instance id (UUID).</summary>
    public required string InstanceId { get; init; }

    /// <summary>Service the instance belongs to.</summary>
    public required string ServiceId { get; init; }

    /// <summary>Model version the instance runs.</summary>
    public required string ModelId { get; init; }

    /// <summary>Executable to run.</summary>
    public required string FileName { get; init; }

    /// <summary>Arguments, each passed as one argv entry (no shell).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Working directory of the process.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Loopback port the instance must listen on (also passed as <c>INFERA_PORT</c>).</summary>
    public required int Port { get; init; }

    /// <summary>Environment added to the server's own (user <c>envs</c> last, so they win except for INFERA_* keys).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>File receiving the timestamped stdout/stderr lines.</summary>
    public required string LogPath { get; init; }

    /// <summary>Path answered 200 when the instance is ready (default <c>/health</c>).</summary>
    public string HealthPath { get; init; } = "/health";

    /// <summary>
    /// URL scheme the instance serves on <see cref="Port"/>: <c>http</c> (default) or <c>https</c> (custom engines that
    /// declare <c>protocol: https</c>; their certificate is not verified, the connection never leaves the host).
    /// </summary>
    public string Scheme { get; init; } = "http";

    /// <summary>
    /// Kept for compatibility; every instance now gets its own process group (issue #20): the launcher of
    /// <see cref="InstanceProcess"/> leads one per instance, a stop signals the whole group (SIGTERM, the grace for
    /// every member, then SIGKILL), and the group dies with the server.
    /// </summary>
    public bool OwnProcessGroup { get; init; }

    /// <summary>Told about the process's start, output lines and end (logs and resource metrics); none when null.</summary>
    public IInstanceObserver? Observer { get; init; }

    /// <summary><c>{Scheme}://127.0.0.1:{Port}</c>, no trailing slash.</summary>
    public string BaseUri => $"{Scheme}://127.0.0.1:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
