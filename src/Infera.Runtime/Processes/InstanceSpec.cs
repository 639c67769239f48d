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
}
