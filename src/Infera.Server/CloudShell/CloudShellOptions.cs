namespace Infera.Server.CloudShell;

/// <summary>Settings of the CloudShell terminal (R-S16, seed 003 §3.1.6).</summary>
public sealed class CloudShellOptions
{
    /// <summary>A session without input for this long is closed and its shell killed. Default 10 minutes (seed 003 §3.1.6).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a ticket from <c>POST …/cloudshell</c> may wait for its WebSocket. Default 60 seconds.</summary>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The shell to start: the first of these that exists. Default <c>/bin/bash</c>, then <c>/bin/sh</c>.</summary>
    public IReadOnlyList<string> Shells { get; set; } = ["/bin/bash", "/bin/sh"];

    /// <summary>At most this many CloudShell sessions at once on the server. Default 32.</summary>
    public int MaxSessions { get; set; } = 32;
}
