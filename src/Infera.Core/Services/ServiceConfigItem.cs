using System.Text.Json.Serialization;

namespace Infera.Core.Services;

/// <summary>One model version deployed in a service (spec §3.1 ServiceConfig), the desired state.</summary>
public sealed record ServiceConfigItem
{
    /// <summary>Model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Traffic percentage 0–100; all items sum to 100.</summary>
    public int Weight { get; init; } = 100;

    /// <summary>Flavor code, e.g. <c>modelarts.vm.cpu.2u</c>, recorded as given.</summary>
    public string Specification { get; init; } = "modelarts.vm.cpu.2u";

    /// <summary>Number of instances, 1–128.</summary>
    public int InstanceCount { get; init; } = 1;

    /// <summary>Environment variables passed to each instance.</summary>
    public IReadOnlyDictionary<string, string> Envs { get; init; } = new Dictionary<string, string>();

    /// <summary>The custom flavor when <see cref="Specification"/> is <c>custom</c>, else null.</summary>
    public CustomSpec? CustomSpec { get; init; }

    /// <summary>
    /// How long one instance may take to deploy and start, seconds (seed 003 §3.1.1 "部署超时时间": 3–120 minutes,
    /// default 20; API field <c>deploy_timeout_in_seconds</c>).
    /// </summary>
    public int DeployTimeoutSeconds { get; init; } = DefaultDeployTimeoutSeconds;

    /// <summary>
    /// How many of this version's instances may be unavailable during a rolling update (spec §3.1
    /// ModelAdditionalProperties <c>max_unavailable</c>: &lt; 1 is a fraction of <see cref="InstanceCount"/>, ≥ 1 a
    /// count; default 0).
    /// </summary>
    public double MaxUnavailable { get; init; }

    /// <summary>How many extra instances a rolling update may start at once (<c>max_surge</c>, default 1; same rule).</summary>
    public double MaxSurge { get; init; } = 1;

    /// <summary>
    /// Bumped by a restart: instances started for another revision are replaced (rolling) like those of an older
    /// configuration. 0 until the first restart; kept across updates of the same version.
    /// </summary>
    public long Revision { get; init; }

    /// <summary>
    /// What an instance of this item is started from: model, flavor, environment and revision. Instances whose key
    /// differs from every configured item's key are replaced by a rolling update; a change of weight or instance
    /// count alone replaces nothing.
    /// </summary>
    [JsonIgnore]
    public string InstanceKey =>
        $"{ModelId}|{Specification}|{CustomSpec}|{string.Join(';', Envs.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"))}|{Revision}";

    /// <summary>The instances of <see cref="InstanceCount"/> that may be unavailable during a rolling update.</summary>
    [JsonIgnore]
    public int UnavailableBudget => Count(MaxUnavailable);

    /// <summary>The extra instances a rolling update may start at once.</summary>
    [JsonIgnore]
    public int SurgeBudget => Count(MaxSurge);

    private int Count(double value) => value < 1 ? (int)Math.Floor(value * InstanceCount) : (int)Math.Floor(value);

    /// <summary>The default deploy timeout, 20 minutes.</summary>
    public const int DefaultDeployTimeoutSeconds = 20 * 60;

    /// <summary>The batch fields (inputs, outputs, API, mapping) of a batch service's config item; null for real-time services.</summary>
    public BatchConfig? Batch { get; init; }
}
