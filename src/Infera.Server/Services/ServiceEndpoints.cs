using System.Text.Json.Nodes;
using Infera.Core.Services;
using Infera.Server.Api;
using Infera.Server.Models;
using Infera.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Infera.Server.Services;

/// <summary>The service routes of spec §3: deploy, list, show, update (start/stop), delete, events.</summary>
public static class ServiceEndpoints
{
    /// <summary>Maps <c>/v1/{project_id}/services</c>.</summary>
    public static IEndpointRouteBuilder MapServiceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/{project_id}/services");
        group.MapPost("", async (HttpContext context, string project_id, ServiceManager manager) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var request = await ApiJson.ReadBodyAsync<CreateServiceRequest>(context.Request, context.RequestAborted);
            var service = manager.Create(caller, request);
            return Results.Json(new { service_id = service.Id, resource_ids = Array.Empty<string>() }, ApiJson.Options);
        });
        group.MapGet("", (HttpContext context, string project_id, string? service_id, string? service_name, string? model_id, string? infer_type,
            string? status, int? offset, int? limit, string? sort_by, string? order, ServiceStore store, ServiceViews views) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            IEnumerable<ServiceRecord> matches = store.ListByProject(caller.ProjectId).Where(s => s.DesiredState != ServiceManager.DesiredDeleted);
            if (!string.IsNullOrEmpty(service_id))
            {
                matches = matches.Where(s => s.Id == service_id);
            }

            if (!string.IsNullOrEmpty(service_name))
            {
                matches = matches.Where(s => s.Name.Contains(service_name, StringComparison.Ordinal));
            }

            if (!string.IsNullOrEmpty(model_id))
            {
                matches = matches.Where(s => s.Config.Any(c => c.ModelId == model_id));
            }

            if (!string.IsNullOrEmpty(infer_type))
            {
                matches = matches.Where(s => s.InferType == infer_type);
            }

            if (!string.IsNullOrEmpty(status))
            {
                matches = matches.Where(s => s.Status == status);
            }

            var ascending = string.Equals(order, "asc", StringComparison.OrdinalIgnoreCase);
            Func<ServiceRecord, object> key = sort_by switch
            {
                "service_name" => s => s.Name,
                "transition_at" => s => s.TransitionAt,
                _ => s => s.PublishAt,
            };
            var sorted = (ascending ? matches.OrderBy(key) : matches.OrderByDescending(key)).ToList();
            var page = sorted.Skip(Math.Max(0, offset ?? 0)).Take(Math.Clamp(limit ?? 1000, 1, 1000)).ToList();
            return Results.Json(new JsonObject
            {
                ["total_count"] = sorted.Count,
                ["count"] = page.Count,
                ["services"] = new JsonArray(page.Select(s => (JsonNode?)views.ListItem(s)).ToArray()),
            }, ApiJson.Options);
        });
        // Literal segments win over {service_id} in ASP.NET routing, so "specifications" is never read as an id.
        group.MapGet("/specifications", (HttpContext context, string project_id, string? infer_type, bool? is_personal_cluster, int? offset, int? limit,
            FlavorCatalog flavors) =>
        {
            ProjectScope.Require(context, project_id);
            if (infer_type is not null && infer_type is not (InferTypes.RealTime or InferTypes.Batch))
            {
                throw Core.Errors.Errors.InvalidParameter("infer_type", infer_type, "use real-time or batch.");
            }

            var all = FlavorCatalog.Standard.Select(f => SpecificationView(f, flavors.Node)).ToList();
            var page = all.Skip(Math.Max(0, offset ?? 0)).Take(Math.Clamp(limit ?? 1000, 1, 1000)).ToList();
            return Results.Json(new JsonObject
            {
                ["total_count"] = all.Count,
                ["count"] = page.Count,
                ["specifications"] = new JsonArray(page.Select(p => (JsonNode?)p).ToArray()),
                ["custom_spec"] = new JsonObject
                {
                    ["specification"] = FlavorCatalog.Custom,
                    ["max_cpu"] = flavors.Node.Cores,
                    ["max_memory"] = flavors.Node.MemoryMiB,
                    ["max_gpu_p4"] = flavors.Node.Gpus,
                },
            }, ApiJson.Options);
        });
        group.MapGet("/{service_id}", (HttpContext context, string project_id, string service_id, ServiceManager manager, ServiceViews views) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Json(views.Details(manager.Get(caller.ProjectId, service_id), baseUrl), ApiJson.Options);
        });
        group.MapPut("/{service_id}", async (HttpContext context, string project_id, string service_id, ServiceManager manager) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var request = await ApiJson.ReadBodyAsync<UpdateServiceRequest>(context.Request, context.RequestAborted);
            manager.Update(caller, service_id, request);
            return Results.Json(new { }, ApiJson.Options);
        });
        group.MapDelete("/{service_id}", (HttpContext context, string project_id, string service_id, ServiceManager manager) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var ids = service_id.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            manager.Delete(caller.ProjectId, ids);
            return Results.Json(new { }, ApiJson.Options);
        });
        group.MapGet("/{service_id}/events", (HttpContext context, string project_id, string service_id, string? event_type, string? event_info,
            long? start_time, long? end_time, int? offset, int? limit, string? sort_by, string? order, ServiceManager manager, EventStore events) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var service = manager.Get(caller.ProjectId, service_id);
            // Issue #6 part B: the spec §3.6 filters, checked (Observability.EventQuery).
            var (page, total) = Observability.EventQuery.Parse(event_type, event_info, start_time, end_time, offset, limit, sort_by, order).Run(events, service.Id);
            return Results.Json(new
            {
                service_id = service.Id,
                service_name = service.Name,
                total_count = total,
                count = page.Count,
                events = page.Select(ModelEndpoints.EventView),
            }, ApiJson.Options);
        });
        group.MapGet("/{service_id}/monitor", (HttpContext context, string project_id, string service_id, ServiceManager manager, ServiceViews views,
            Observability.MonitorResources resources) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var service = manager.Get(caller.ProjectId, service_id);
            // Issue #6 part B: req_count_per_min and the CPU/memory fields come from the observability recorder.
            return Results.Json(resources.Extend(views.Monitor(service), service), ApiJson.Options);
        });
        group.MapPost("/{service_id}/restart", (HttpContext context, string project_id, string service_id, ServiceManager manager) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            manager.Restart(caller, service_id);
            return Results.Json(new { }, ApiJson.Options);
        });
        group.MapGet("/{service_id}/logs", (HttpContext context, string project_id, string service_id, long? update_time, ServiceManager manager, ServiceViews views) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            return Results.Json(views.History(manager.Get(caller.ProjectId, service_id), update_time), ApiJson.Options);
        });
        group.MapGet("/{service_id}/instances", (HttpContext context, string project_id, string service_id, ServiceManager manager, ServiceReconciler reconciler,
            ServiceViews views) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var service = manager.Get(caller.ProjectId, service_id);
            var instances = reconciler.Instances(service.Id);
            return Results.Json(new JsonObject
            {
                ["service_id"] = service.Id,
                ["service_name"] = service.Name,
                ["count"] = instances.Length,
                ["instances"] = new JsonArray(instances.Select(i => (JsonNode?)views.Instance(i)).ToArray()),
            }, ApiJson.Options);
        });
        group.MapDelete("/{service_id}/instances/{instance_id}", (HttpContext context, string project_id, string service_id, string instance_id,
            ServiceManager manager, ServiceReconciler reconciler) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var service = manager.Get(caller.ProjectId, service_id);
            if (service.Status is not (ServiceStatus.Running or ServiceStatus.Concerning or ServiceStatus.Deploying))
            {
                throw Core.Errors.Errors.IllegalServiceState(service.Id, service.Status, "changed: instances can be deleted only while it is deploying, running or concerning");
            }

            if (!reconciler.DeleteInstance(service.Id, instance_id))
            {
                throw Core.Errors.Errors.ObjectNotFound($"Instance {instance_id} of service {service.Id}");
            }

            return Results.Json(new { }, ApiJson.Options);
        });
        group.MapGet("/{service_id}/predict/endpoints", (HttpContext context, string project_id, string service_id, string? type, ServiceManager manager,
            ServiceReconciler reconciler) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var service = manager.Get(caller.ProjectId, service_id);
            if (type != "host_endpoints")
            {
                throw Core.Errors.Errors.InvalidParameter("type", type, "use host_endpoints.");
            }

            var ready = reconciler.Instances(service.Id).Where(i => i.Ready).ToList();
            return Results.Json(new JsonObject
            {
                ["type"] = "host_endpoints",
                ["service_id"] = service.Id,
                ["endpoints"] = new JsonArray(ready.Select(i => (JsonNode?)new JsonObject
                {
                    ["host"] = i.Host,
                    ["port"] = i.Port,
                    ["protocol"] = new JsonArray(i.Protocol),
                    ["instance_id"] = i.Id,
                    ["model_id"] = i.ModelId,
                }).ToArray()),
            }, ApiJson.Options);
        });
        return app;
    }

    /// <summary>One flavor in the shape of spec §3.9; a flavor this node cannot run is <c>is_open: false</c> with the reason.</summary>
    public static JsonObject SpecificationView(Flavor f, NodeResources node)
    {
        var unavailable = f.Unavailable(node);
        var view = new JsonObject
        {
            ["specification"] = f.Code,
            ["billing_spec"] = f.Code,
            ["category"] = f.Category,
            ["cpu_info"] = new JsonObject { ["arch"] = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(), ["cpu"] = f.Cpu },
            ["memory_info"] = new JsonObject { ["unit"] = "GB", ["memory"] = f.MemoryMiB / 1024 },
            ["gpu_info"] = new JsonObject { ["brand"] = f.Gpu > 0 ? "NVIDIA" : "", ["version"] = f.GpuModel, ["unit"] = "MB", ["gpu"] = f.Gpu, ["memory"] = f.GpuMemoryMiB },
            ["npu_info"] = new JsonObject { ["unit"] = "MB", ["npu"] = 0, ["memory"] = 0 },
            ["source_type"] = "",
            ["display_en"] = f.DisplayEn,
            ["display_cn"] = f.DisplayCn,
            ["is_open"] = unavailable is null,
            ["spec_status"] = unavailable is null ? "normal" : "unavailable",
            ["is_free"] = false,
            ["over_quota"] = false,
            ["extend_params"] = 1,
        };
        if (unavailable is not null)
        {
            view["unavailable_reason"] = unavailable;
        }

        return view;
    }
}
