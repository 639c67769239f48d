using Infera.Gateway.Limits;

namespace Infera.Server.Services;

/// <summary>The reconciler's live state of one service. Touched only by the reconciler loop.</summary>
internal sealed class ServiceRuntime(string serviceId, TimeProvider time)
{
    /// <summary>The service's requests-per-second window, kept for the life of the service so republishing never resets it.</summary>
    public RequestRateLimiter Limiter { get; } = new(time);

    /// <summary>Service id.</summary>
    public string ServiceId { get; } = serviceId;

    /// <summary>Instances started for the service (starting or ready).</summary>
    public List<LiveInstance> Instances { get; } = [];

    /// <summary>A stop or delete in progress; the loop leaves the service alone until it completes.</summary>
    public Task? Pending { get; set; }

    /// <summary>Unexpected exits since the service was last healthy, for restart back-off.</summary>
    public int Crashes { get; set; }

    /// <summary>No replacement instance starts before this time (back-off after crashes).</summary>
    public DateTimeOffset NextStartAllowed { get; set; }

    /// <summary>The status and ready set last published to the gateway, to republish only on change.</summary>
    public string PublishedSignature { get; set; } = "";
}
