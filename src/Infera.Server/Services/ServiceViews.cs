using System.Text.Json.Nodes;
using Infera.Core.Services;
using Infera.Gateway.Forwarding;
using Infera.Gateway.Routing;
using Infera.Storage.Stores;

namespace Infera.Server.Services;

/// <summary>Shapes services as the ModelArts API returns them (spec §3.2 list item, §3.3 details).</summary>
public sealed class ServiceViews(ModelStore models, RoutingTable routes, InvocationCounters counters, Apps.AppManager apps)
{
    /// <summary>The list item of spec §3.2 (counters include calls not yet flushed to the database).</summary>
    public JsonObject ListItem(ServiceRecord s)
    {
        var (pendingTotal, pendingFailed) = counters.Pending(s.Id);
        return new JsonObject
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
    }

    /// <summary>The details of spec §3.3: list fields plus access address, error, and per-version config with readiness.</summary>
    public JsonObject Details(ServiceRecord s, string baseUrl)
    {
        var item = ListItem(s);
        item["access_address"] = $"{baseUrl}/v1/infers/{s.Id}";
        // One host serves both the IAM address and the app-authentication address (spec/auth.md §1).
        item["app_auth"] = s.AppAuth;
        if (s.AppAuth)
        {
            item["app_access_address"] = $"{baseUrl}/v1/infers/{s.Id}";
        }

        item["app_auth_apps"] = apps.BoundApps(s.Id);
        item["update_time"] = s.UpdateTime;
        item["load_balancer_policy"] = "ROUND_ROBIN";
        item["additional_properties"] = new JsonObject();
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
            var envs = new JsonObject();
            foreach (var (key, value) in c.Envs)
            {
                envs[key] = value;
            }

            config.Add(new JsonObject
            {
                ["model_id"] = c.ModelId,
                ["model_name"] = model?.Name,
                ["model_version"] = model?.Version,
                ["weight"] = c.Weight,
                ["specification"] = c.Specification,
                ["instance_count"] = c.InstanceCount,
                ["envs"] = envs,
                ["status"] = ready >= c.InstanceCount ? "ready" : ready > 0 ? "concerning" : "notReady",
                ["scaling"] = false,
                ["support_debug"] = false,
                ["additional_properties"] = new JsonObject(),
            });
        }

        item["config"] = config;
        return item;
    }

    private int Progress(ServiceRecord s)
    {
        var wanted = s.Config.Sum(c => c.InstanceCount);
        var ready = routes.Find(s.Id)?.ReadyCount ?? 0;
        return wanted == 0 ? 0 : Math.Min(99, ready * 100 / wanted);
    }
}
