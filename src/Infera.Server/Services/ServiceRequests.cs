namespace Infera.Server.Services;

/// <summary>Body of <c>POST /v1/{project_id}/services</c> (spec §3.1).</summary>
public sealed class CreateServiceRequest
{
    /// <summary>1–64 letters, Chinese characters, digits, <c>-</c>, <c>_</c>; unique per project.</summary>
    public string? ServiceName { get; set; }

    /// <summary>At most 100 characters, none of <c>! &lt; &gt; + &amp; " '</c>.</summary>
    public string? Description { get; set; }

    /// <summary><c>real-time</c> (batch arrives with issue #4).</summary>
    public string? InferType { get; set; }

    /// <summary>The model versions to deploy.</summary>
    public List<ServiceConfigRequest>? Config { get; set; }

    /// <summary>Workspace; only <c>"0"</c> exists.</summary>
    public string? WorkspaceId { get; set; }

    /// <summary>Personalized configuration rules, in priority order (≤ 10; seed 003 §3.1.2). On update, replaces the rules; <c>[]</c> removes them.</summary>
    public List<RoutingRuleRequest>? RoutingRules { get; set; }

    /// <summary>Requests per second for the whole service (1–100000; on update 0 removes the limit). Not with WebSocket.</summary>
    public int? RateLimit { get; set; }

    /// <summary>TI-ONE style requests per second per instance (1–500; on update 0 removes it): times the instance count, at most 500.</summary>
    public int? RateLimitPerReplica { get; set; }

    /// <summary>Service options; <c>websocket_upgrade</c> is honoured (deploy only).</summary>
    public ServiceAdditionalPropertiesRequest? AdditionalProperties { get; set; }
    /// <summary>Switches app authentication on (seed 003 §3.1.4.2.3); default off.</summary>
    public bool? AppAuth { get; set; }

    /// <summary>Apps to bind when app authentication is on: <c>[{"app_id":"…"}]</c>.</summary>
    public List<AppReference>? Apps { get; set; }

    /// <summary>Auto-stop: <c>[{"type":"stop","time_unit":"HOURS","duration":1}]</c> (1–24 hours in total); absent: runs until stopped.</summary>
    public List<ScheduleRequest>? Schedule { get; set; }

    /// <summary>Resource tags <c>[{"key":"…","value":"…"}]</c>: ≤ 20, keys unique, 1–36 characters, values ≤ 43.</summary>
    public List<TagRequest>? Tags { get; set; }
}

/// <summary>One <c>schedule[]</c> item (spec §3.1 Schedule).</summary>
public sealed class ScheduleRequest
{
    /// <summary>Only <c>stop</c>.</summary>
    public string? Type { get; set; }

    /// <summary><c>HOURS</c>, <c>MINUTES</c> or <c>DAYS</c>.</summary>
    public string? TimeUnit { get; set; }

    /// <summary>Whole units; 1–24 hours in total.</summary>
    public int? Duration { get; set; }
}

/// <summary>One resource tag.</summary>
public sealed class TagRequest
{
    /// <summary>1–36 characters: letters, digits, Chinese characters, <c>_ . : = + - @</c> and spaces inside.</summary>
    public string? Key { get; set; }

    /// <summary>0–43 characters of the same set.</summary>
    public string? Value { get; set; }
}

/// <summary><c>config[].custom_spec</c> (spec §3.1).</summary>
public sealed class CustomSpecRequest
{
    /// <summary>vCPUs, ≥ 0.01 (rounded to 2 decimals).</summary>
    public double? Cpu { get; set; }

    /// <summary>Memory in MiB ("MB"), ≥ 1.</summary>
    public int? Memory { get; set; }

    /// <summary>P4 GPU cards, ≥ 0 (default 0).</summary>
    public double? GpuP4 { get; set; }
}

/// <summary><c>config[].additional_properties</c> (spec §3.1 ModelAdditionalProperties): the rolling-update limits.</summary>
public sealed class ModelAdditionalPropertiesRequest
{
    /// <summary>Extra instances started at once during a rolling update: &lt; 1 a fraction of the instance count, ≥ 1 a count; default 1.</summary>
    public double? MaxSurge { get; set; }

    /// <summary>Instances that may be unavailable during a rolling update: &lt; 1 a fraction, ≥ 1 a count; default 0.</summary>
    public double? MaxUnavailable { get; set; }

    /// <summary>Seconds an old instance may take to finish its in-flight requests when it is stopped.</summary>
    public int? TerminationGracePeriodSeconds { get; set; }
}

/// <summary>An app named in a deploy or update body.</summary>
public sealed class AppReference
{
    /// <summary>The app id (from <c>POST /v1/{project_id}/app-auth/apps</c>).</summary>
    public string? AppId { get; set; }
}

/// <summary>One <c>config[]</c> item (spec §3.1 ServiceConfig).</summary>
public sealed class ServiceConfigRequest
{
    /// <summary>A published model id.</summary>
    public string? ModelId { get; set; }

    /// <summary>Traffic percentage; items total 100. Strings are accepted (<c>"70"</c>).</summary>
    public int? Weight { get; set; }

    /// <summary>Flavor code; default <c>modelarts.vm.cpu.2u</c>.</summary>
    public string? Specification { get; set; }

    /// <summary>1–128; default 1.</summary>
    public int? InstanceCount { get; set; }

    /// <summary>Environment variables for the instances (names: letters, digits, <c>_</c>, not starting with a digit).</summary>
    public Dictionary<string, string>? Envs { get; set; }

    /// <summary>The flavor when <see cref="Specification"/> is <c>custom</c>.</summary>
    public CustomSpecRequest? CustomSpec { get; set; }

    /// <summary>How long one instance may take to deploy and start: 180–7200 s (3–120 minutes), default 1200.</summary>
    public int? DeployTimeoutInSeconds { get; set; }

    /// <summary>Rolling-update limits.</summary>
    public ModelAdditionalPropertiesRequest? AdditionalProperties { get; set; }

    /// <summary>Batch: input folder <c>obs://bucket/folder/</c> or a <c>.manifest</c> object.</summary>
    public string? SrcPath { get; set; }

    /// <summary>Batch: output folder <c>obs://bucket/folder/</c>.</summary>
    public string? DestPath { get; set; }

    /// <summary>Batch: the model API path to call (one of its <c>apis[].url</c>); default the only API's url.</summary>
    public string? ReqUri { get; set; }

    /// <summary>Batch: <c>file</c> or <c>csv</c>; default from the API (a file field → file, else csv).</summary>
    public string? MappingType { get; set; }

    /// <summary>Batch, <c>csv</c>: the request schema with an <c>index</c> per leaf; generated from the API when absent.</summary>
    public System.Text.Json.JsonElement? MappingRule { get; set; }

    /// <summary>Batch: empty (a folder) or <c>ManifestFile</c>; a <c>src_path</c> ending in <c>.manifest</c> implies it.</summary>
    public string? SrcType { get; set; }
}

/// <summary>Body of <c>PUT /v1/{project_id}/services/{service_id}</c> (spec §3.4).</summary>
public sealed class UpdateServiceRequest
{
    /// <summary>New description.</summary>
    public string? Description { get; set; }

    /// <summary><c>running</c> starts, <c>stopped</c> stops; when set, <see cref="Config"/> is ignored.</summary>
    public string? Status { get; set; }

    /// <summary>Replaces the model configuration (instances of versions still configured are kept).</summary>
    public List<ServiceConfigRequest>? Config { get; set; }

    /// <summary>Switches app authentication on or off; bindings are kept while it is off.</summary>
    public bool? AppAuth { get; set; }

    /// <summary>Apps to bind (added to the existing bindings).</summary>
    public List<AppReference>? Apps { get; set; }

    /// <summary>Personalized configuration rules, in priority order (≤ 10; seed 003 §3.1.2). On update, replaces the rules; <c>[]</c> removes them.</summary>
    public List<RoutingRuleRequest>? RoutingRules { get; set; }

    /// <summary>Requests per second for the whole service (1–100000; on update 0 removes the limit). Not with WebSocket.</summary>
    public int? RateLimit { get; set; }

    /// <summary>TI-ONE style requests per second per instance (1–500; on update 0 removes it): times the instance count, at most 500.</summary>
    public int? RateLimitPerReplica { get; set; }

    /// <summary>Service options; <c>websocket_upgrade</c> is honoured (deploy only).</summary>
    public ServiceAdditionalPropertiesRequest? AdditionalProperties { get; set; }

    /// <summary>Auto-stop: a schedule switches it on (the clock starts now for a running service); <c>[]</c> switches it off.</summary>
    public List<ScheduleRequest>? Schedule { get; set; }

    /// <summary>Replaces the tags; <c>[]</c> removes them.</summary>
    public List<TagRequest>? Tags { get; set; }
}

/// <summary>One personalized configuration rule (seed 003 table 3-6).</summary>
public sealed class RoutingRuleRequest
{
    /// <summary>配置条件: the SpEL condition, e.g. <c>#HEADER_uid.hashCode() % 100 &lt; 10</c>.</summary>
    public string? Condition { get; set; }

    /// <summary>访问版本: the version (<c>A.B.C</c>) of one of the service's models; or give <see cref="ModelId"/>.</summary>
    public string? ModelVersion { get; set; }

    /// <summary>The model id of one of the service's config items (instead of <see cref="ModelVersion"/>).</summary>
    public string? ModelId { get; set; }

    /// <summary>配置项名称: header added to matching calls, ≤ 128 characters.</summary>
    public string? HeaderName { get; set; }

    /// <summary>配置项值: its value, ≤ 256 characters.</summary>
    public string? HeaderValue { get; set; }
}

/// <summary><c>additional_properties</c> of a service (spec §3.1 ServiceAdditionalProperties).</summary>
public sealed class ServiceAdditionalPropertiesRequest
{
    /// <summary>Deploy as a WebSocket service; cannot be changed later (seed 003 table 3-2 "升级为WebSocket").</summary>
    public bool? WebsocketUpgrade { get; set; }
}
