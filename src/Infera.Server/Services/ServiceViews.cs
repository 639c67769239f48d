using System.Text.Json.Nodes;
using Infera.Core.Services;
using Infera.Gateway.Forwarding;
using Infera.Gateway.Routing;
using Infera.Storage.Stores;

namespace Infera.Server.Services;

/// <summary>Shapes services as the ModelArts API returns them (spec §3.2 list item, §3.3 details).</summary>
public sealed class ServiceViews(ModelStore models, ServiceStore services, RoutingTable routes, InvocationCounters counters, Apps.AppManager apps,
    ResourceLimiter limiter, ServiceUpdateLogStore history, BatchTaskStore batchTasks)
{
    /// <summary>The list item of spec §3.2 (counters include calls not yet flushed to the database).</summary>
    public JsonObject ListItem(ServiceRecord s)
    {
        var (pendingTotal, pendingFailed) = counters.Pending(s.Id);
        var item = new JsonObject
        {
            ["service_id"] = s.Id,
            ["service_name"] = s.Name,
            ["description"] = s.Description,
            ["tenant"] = s.DomainId,
            ["project"] = s.ProjectId,
            ["owner"] = s.OwnerId,
            ["infer_type"] = s.InferType,
            ["status"] = s.Status,
            ["progress"] = s.Status == ServiceStatus.Deploying ? Progress(s) : 100,
            ["publish_at"] = s.PublishAt,
            ["transition_at"] = s.TransitionAt,
            ["operation_time"] = s.TransitionAt,
            ["workspace_id"] = "0",
            ["invocation_times"] = s.InvocationTimes + pendingTotal,
            ["failed_times"] = s.FailedTimes + pendingFailed,
            ["is_shared"] = false,
            ["shared_count"] = 0,
            ["is_free"] = false,
            ["is_opened_sample_collection"] = "false",
        };
        if (s.Schedule is { } schedule)
        {
            item["schedule"] = new JsonArray(new JsonObject { ["type"] = schedule.Type, ["time_unit"] = schedule.TimeUnit, ["duration"] = schedule.Duration });
        }

        if (s.DueTime is { } due)
        {
            item["due_time"] = due;
        }

        item["tags"] = new JsonArray(s.Tags.Select(t => (JsonNode?)new JsonObject { ["key"] = t.Key, ["value"] = t.Value }).ToArray());
        if (s.InferType == InferTypes.Batch)
        {
            Batch.BatchViews.AddTask(item, s, batchTasks);
        }

        return item;
    }

    /// <summary>The details of spec §3.3: list fields plus access address, error, and per-version config with readiness.</summary>
    public JsonObject Details(ServiceRecord s, string baseUrl)
    {
        var item = ListItem(s);
        // A WebSocket service's access address is a ws(s):// URL (seed 003 §3.1.1 "升级为WebSocket").
        var address = $"{baseUrl}/v1/infers/{s.Id}";
        item["access_address"] = s.Traffic.WebSocket ? "ws" + address["http".Length..] : address;
        // One host serves both the IAM address and the app-authentication address (spec/auth.md §1).
        item["app_auth"] = s.AppAuth;
        if (s.AppAuth)
        {
            item["app_access_address"] = address;
        }

        item["app_auth_apps"] = apps.BoundApps(s.Id);
        item["update_time"] = s.UpdateTime;
        item["load_balancer_policy"] = "ROUND_ROBIN";
        item["additional_properties"] = new JsonObject { ["websocket_upgrade"] = s.Traffic.WebSocket };
        // Flavors are enforced with cgroups v2 where the node allows it (docs/architecture.md "Flavors").
        item["resource_limits_enforced"] = limiter.Enforced;
        if (limiter.Reason is { } notEnforced)
        {
            item["resource_limits_reason"] = notEnforced;
        }

        if (s.PreviousConfig is not null)
        {
            item["updating"] = true;
        }
        AddTraffic(item, s);
        if (s.ErrorMessage.Length > 0)
        {
            item["error_msg"] = s.ErrorMessage;
        }

        var route = routes.Find(s.Id);
        var config = new JsonArray();
        foreach (var c in s.Config)
        {
            var model = models.FindAny(c.ModelId);
            var ready = route?.Groups.FirstOrDefault(g => g.ModelId == c.ModelId)?.Ready.Length ?? 0;
            var view = ConfigItem(c, model);
            view["status"] = ready >= c.InstanceCount ? "ready" : ready > 0 ? "concerning" : "notReady";
            if (c.Batch is { } batch)
            {
                Batch.BatchViews.AddConfig(view, batch, s);
            }

            config.Add(view);
        }

        item["config"] = config;
        return item;
    }

    /// <summary>
    /// The monitor of spec §3.8: instance counts and, per model version, <c>invocation_times</c> and
    /// <c>failed_times</c> (calls each version answered, whether a rule or the weights chose it). This node does not
    /// sample CPU or memory, so the resource fields are absent.
    /// </summary>
    public JsonObject Monitor(ServiceRecord s)
    {
        var route = routes.Find(s.Id);
        var flushed = services.VersionInvocations(s.Id);
        var monitors = new JsonArray();
        foreach (var c in s.Config)
        {
            var model = models.FindAny(c.ModelId);
            var (total, failed) = flushed.GetValueOrDefault(c.ModelId);
            var (pendingTotal, pendingFailed) = counters.Pending(s.Id, c.ModelId);
            monitors.Add(new JsonObject
            {
                ["model_id"] = c.ModelId,
                ["model_name"] = model?.Name,
                ["model_version"] = model?.Version,
                ["weight"] = c.Weight,
                ["model_instance_count"] = c.InstanceCount,
                ["model_running_instance_count"] = route?.Find(c.ModelId)?.Ready.Length ?? 0,
                ["invocation_times"] = total + pendingTotal,
                ["failed_times"] = failed + pendingFailed,
            });
        }

        return new JsonObject
        {
            ["service_id"] = s.Id,
            ["service_name"] = s.Name,
            ["service_instance_count"] = s.Config.Sum(c => c.InstanceCount),
            ["service_running_instance_count"] = route?.ReadyCount ?? 0,
            ["monitors"] = monitors,
        };
    }

    /// <summary>One configuration item as deploy, details and the update history show it (spec §3.1 ServiceConfig, §3.7 Log.config).</summary>
    public static JsonObject ConfigItem(ServiceConfigItem c, Core.Models.ModelRecord? model)
    {
        var envs = new JsonObject();
        foreach (var (key, value) in c.Envs)
        {
            envs[key] = value;
        }

        var node = new JsonObject
        {
            ["model_id"] = c.ModelId,
            ["model_name"] = model?.Name,
            ["model_version"] = model?.Version,
            ["weight"] = c.Weight,
            ["specification"] = c.Specification,
            ["instance_count"] = c.InstanceCount,
            ["envs"] = envs,
            ["deploy_timeout_in_seconds"] = c.DeployTimeoutSeconds,
            ["scaling"] = false,
            ["support_debug"] = false,
            ["additional_properties"] = new JsonObject { ["max_surge"] = c.MaxSurge, ["max_unavailable"] = c.MaxUnavailable },
        };
        if (c.CustomSpec is { } custom)
        {
            node["custom_spec"] = new JsonObject { ["cpu"] = custom.Cpu, ["memory"] = custom.MemoryMiB, ["gpu_p4"] = custom.GpuP4 };
        }

        return node;
    }

    /// <summary>
    /// The configuration update history of spec §3.7 (<c>GET …/logs</c>): newest first, each with
    /// <c>update_time</c>, <c>result</c> (SUCCESS, FAIL, RUNNING), <c>config</c>, and the extensions
    /// <c>operator</c>, <c>detail</c>, <c>finished_time</c>; the first SUCCESS entry is the current configuration.
    /// </summary>
    public JsonObject History(ServiceRecord s, long? updateTime)
    {
        var logs = new JsonArray();
        foreach (var entry in history.List(s.Id, updateTime))
        {
            var node = new JsonObject
            {
                ["update_time"] = entry.UpdateTime,
                ["result"] = entry.Result,
                ["config"] = new JsonArray(entry.Config.Select(c => (JsonNode?)ConfigItem(c, models.FindAny(c.ModelId))).ToArray()),
                ["extend_config"] = new JsonArray(),
                ["operator"] = entry.Operator,
                ["detail"] = entry.Detail,
            };
            if (entry.FinishedAt is { } finished)
            {
                node["finished_time"] = finished;
            }

            logs.Add(node);
        }

        return new JsonObject { ["service_id"] = s.Id, ["service_name"] = s.Name, ["logs"] = logs };
    }

    /// <summary>An instance of the instances API (extension): id, version, status, readiness, restarts, start time, address, flavor, limits.</summary>
    public JsonObject Instance(InstanceView i)
    {
        var model = models.FindAny(i.ModelId);
        var node = new JsonObject
        {
            ["instance_id"] = i.Id,
            ["model_id"] = i.ModelId,
            ["model_name"] = model?.Name,
            ["model_version"] = model?.Version,
            ["status"] = i.Status,
            ["ready"] = i.Ready,
            ["restarts"] = i.Restarts,
            ["start_time"] = i.StartTime,
            ["host"] = i.Host,
            ["port"] = i.Port,
            ["protocol"] = i.Protocol,
            ["pid"] = i.Pid,
            ["specification"] = i.Flavor.Code,
            ["cpu"] = i.Flavor.Cpu,
            ["memory"] = i.Flavor.MemoryMiB,
            ["resource_limits_enforced"] = i.LimitsNotEnforced is null,
        };
        if (i.LimitsNotEnforced is { } reason)
        {
            node["resource_limits_reason"] = reason;
        }

        return node;
    }

    private void AddTraffic(JsonObject item, ServiceRecord s)
    {
        var rules = new JsonArray();
        foreach (var rule in s.Traffic.Rules)
        {
            var node = new JsonObject
            {
                ["condition"] = rule.Condition,
                ["model_id"] = rule.ModelId,
                ["model_version"] = models.FindAny(rule.ModelId)?.Version,
            };
            if (rule.HeaderName is not null)
            {
                node["header_name"] = rule.HeaderName;
                node["header_value"] = rule.HeaderValue;
            }

            rules.Add(node);
        }

        item["routing_rules"] = rules;
        if (s.Traffic.RateLimit is { } limit)
        {
            item["rate_limit"] = limit;
        }

        if (s.Traffic.RateLimitPerReplica is { } perReplica)
        {
            item["rate_limit_per_replica"] = perReplica;
        }

        if (s.Traffic.EffectiveRateLimit(s.Config.Sum(c => c.InstanceCount)) is { } effective)
        {
            item["effective_rate_limit"] = effective;
        }
    }

    private int Progress(ServiceRecord s)
    {
        var wanted = s.Config.Sum(c => c.InstanceCount);
        var ready = routes.Find(s.Id)?.ReadyCount ?? 0;
        return wanted == 0 ? 0 : Math.Min(99, ready * 100 / wanted);
    }
}
