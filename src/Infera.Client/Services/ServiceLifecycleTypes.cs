using System.Text.Json.Serialization;

namespace Infera.Client.Services;

/// <summary>The auto-stop schedule of a real-time service: it stops <see cref="Duration"/> <see cref="TimeUnit"/> after it started (1–24 hours).</summary>
public sealed record ServiceSchedule
{
    /// <summary>Always <c>stop</c>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = "stop";

    /// <summary><c>HOURS</c>, <c>MINUTES</c> or <c>DAYS</c>.</summary>
    [JsonPropertyName("time_unit")]
    public string TimeUnit { get; init; } = "HOURS";

    /// <summary>Whole units.</summary>
    [JsonPropertyName("duration")]
    public int Duration { get; init; } = 1;
}

/// <summary>A resource tag.</summary>
public sealed record ServiceTag
{
    /// <summary>1–36 characters.</summary>
    [JsonPropertyName("key")]
    public string Key { get; init; } = string.Empty;

    /// <summary>0–43 characters.</summary>
    [JsonPropertyName("value")]
    public string Value { get; init; } = string.Empty;
}

/// <summary>A custom flavor (<c>specification: "custom"</c>).</summary>
public sealed record CustomSpec
{
    /// <summary>vCPUs, at least 0.01.</summary>
    [JsonPropertyName("cpu")]
    public double Cpu { get; init; }

    /// <summary>Memory, MiB.</summary>
    [JsonPropertyName("memory")]
    public int Memory { get; init; }

    /// <summary>P4 GPU cards.</summary>
    [JsonPropertyName("gpu_p4")]
    public double? GpuP4 { get; init; }
}

/// <summary>Rolling-update limits of one model of a service.</summary>
public sealed record ServiceConfigProperties
{
    /// <summary>Extra instances started at once (&lt; 1: a fraction of the instance count; default 1).</summary>
    [JsonPropertyName("max_surge")]
    public double? MaxSurge { get; init; }

    /// <summary>Instances that may be unavailable during an update (&lt; 1: a fraction; default 0).</summary>
    [JsonPropertyName("max_unavailable")]
    public double? MaxUnavailable { get; init; }
}

/// <summary>One deployment flavor (<c>GET /v1/{project_id}/services/specifications</c>).</summary>
public sealed record ServiceSpecification
{
    /// <summary>Flavor code, e.g. <c>modelarts.vm.cpu.2u</c>.</summary>
    [JsonPropertyName("specification")]
    public string Specification { get; init; } = string.Empty;

    /// <summary><c>CPU</c> or <c>GPU</c>.</summary>
    [JsonPropertyName("category")]
    public string Category { get; init; } = string.Empty;

    /// <summary>Label, e.g. <c>CPU: 2 vCPUs | 8 GiB</c>.</summary>
    [JsonPropertyName("display_en")]
    public string DisplayEn { get; init; } = string.Empty;

    /// <summary>Whether this node can run it.</summary>
    [JsonPropertyName("is_open")]
    public bool IsOpen { get; init; }

    /// <summary>Why not, when <see cref="IsOpen"/> is false.</summary>
    [JsonPropertyName("unavailable_reason")]
    public string? UnavailableReason { get; init; }
}

/// <summary>The flavors of the node.</summary>
public sealed record ServiceSpecificationList
{
    /// <summary>The flavors.</summary>
    [JsonPropertyName("specifications")]
    public List<ServiceSpecification> Specifications { get; init; } = [];
}

/// <summary>One instance of a service (<c>GET …/services/{id}/instances</c>, an Infera extension).</summary>
public sealed record ServiceInstance
{
    /// <summary>Instance id.</summary>
    [JsonPropertyName("instance_id")]
    public string InstanceId { get; init; } = string.Empty;

    /// <summary>Model version it runs.</summary>
    [JsonPropertyName("model_version")]
    public string? ModelVersion { get; init; }

    /// <summary><c>starting</c>, <c>running</c>, <c>notReady</c> or <c>failed</c>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = string.Empty;

    /// <summary>Whether it receives requests.</summary>
    [JsonPropertyName("ready")]
    public bool Ready { get; init; }

    /// <summary>Restarts of its configuration before it.</summary>
    [JsonPropertyName("restarts")]
    public int Restarts { get; init; }

    /// <summary>Start time, ms since the epoch.</summary>
    [JsonPropertyName("start_time")]
    public long StartTime { get; init; }

    /// <summary>Listening address.</summary>
    [JsonPropertyName("host")]
    public string Host { get; init; } = string.Empty;

    /// <summary>Listening port.</summary>
    [JsonPropertyName("port")]
    public int Port { get; init; }

    /// <summary>Flavor code.</summary>
    [JsonPropertyName("specification")]
    public string? Specification { get; init; }

    /// <summary>Whether the flavor's CPU and memory limits are enforced (cgroups v2).</summary>
    [JsonPropertyName("resource_limits_enforced")]
    public bool ResourceLimitsEnforced { get; init; }
}

/// <summary>The instances of a service.</summary>
public sealed record ServiceInstanceList
{
    /// <summary>The instances.</summary>
    [JsonPropertyName("instances")]
    public List<ServiceInstance> Instances { get; init; } = [];
}

/// <summary>One configuration update record (<c>GET …/services/{id}/logs</c>).</summary>
public sealed record ServiceUpdateLog
{
    /// <summary>When it was submitted, ms since the epoch.</summary>
    [JsonPropertyName("update_time")]
    public long UpdateTime { get; init; }

    /// <summary><c>SUCCESS</c>, <c>FAIL</c> or <c>RUNNING</c>.</summary>
    [JsonPropertyName("result")]
    public string Result { get; init; } = string.Empty;

    /// <summary>The configuration submitted.</summary>
    [JsonPropertyName("config")]
    public List<ServiceConfig> Config { get; init; } = [];

    /// <summary>Who submitted it.</summary>
    [JsonPropertyName("operator")]
    public string? Operator { get; init; }

    /// <summary>How it was applied or why it failed.</summary>
    [JsonPropertyName("detail")]
    public string? Detail { get; init; }
}

/// <summary>The configuration update history of a service, newest first.</summary>
public sealed record ServiceUpdateLogList
{
    /// <summary>The records.</summary>
    [JsonPropertyName("logs")]
    public List<ServiceUpdateLog> Logs { get; init; } = [];
}
