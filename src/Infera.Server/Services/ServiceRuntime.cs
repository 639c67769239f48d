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

    /// <summary>Back-off waited since the deploy started, added to the deploy timeout so that back-off alone never times a deploy out.</summary>
    public TimeSpan BackOffAllowance { get; set; }

    /// <summary>True between a rollback and the previous configuration running again (its end writes the rollback result event).</summary>
    public bool RollingBack { get; set; }

    /// <summary>Whether the "limits not enforced" event was written since the server started.</summary>
    public bool LimitsReported { get; set; }

    private readonly Dictionary<string, int> _restarts = [];

    /// <summary>Restarts so far of instances started with <paramref name="key"/> (crashes and liveness failures).</summary>
    public int RestartsOf(string key) => _restarts.GetValueOrDefault(key);

    /// <summary>Records that an instance of <paramref name="key"/> was restarted, <paramref name="total"/> times so far.</summary>
    public void AddRestart(string key, int total) => _restarts[key] = Math.Max(total, RestartsOf(key));

    /// <summary>The status and ready set last published to the gateway, to republish only on change.</summary>
    public string PublishedSignature { get; set; } = "";
}
