using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Infera.Core;
using Infera.Core.Errors;
using Infera.Core.Services;
using Infera.Server.Api;
using Infera.Server.Services;
using Infera.Storage.Logs;
using Infera.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Infera.Server.Observability;

/// <summary>
/// The observability routes (Infera extensions where ModelArts has no public API, spec §3.7 note): per-minute
/// metrics, instance logs with search, alarm rules, and the Prometheus text endpoints. Every <c>/v1</c> route is
/// authenticated and project-scoped like the rest of the management API; another project's service is 404
/// ModelArts.3502.
/// </summary>
public static class ObservabilityEndpoints
{
    /// <summary>Most log lines one call returns.</summary>
    public const int MaxLogLimit = 1000;

    /// <summary>Most alarm rules per service.</summary>
    public const int MaxAlarmsPerService = 20;

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapObservabilityEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/{project_id}/services/{service_id}");
        group.MapGet("/metrics", (HttpContext context, string project_id, string service_id, string? model_id, string? last, long? start_time, long? end_time,
            ServiceManager manager, MetricsRecorder recorder, MetricsStore metrics, ModelStore models, TimeProvider time) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var service = manager.Get(caller.ProjectId, service_id);
            RequireVersion(service, model_id);
            var (from, to) = TimeWindow.Resolve(last, start_time, end_time, time.GetUtcNow(), TimeSpan.FromHours(1));
            recorder.Flush();
            // Buckets are keyed by the minute's start: include the minute holding `from`.
            var rows = metrics.Query(service.Id, model_id, from - (from % 60_000), to);
            var versions = new JsonArray();
            foreach (var item in service.Config.Where(c => model_id is null || c.ModelId == model_id))
            {
                var model = models.FindAny(item.ModelId);
                versions.Add(new JsonObject
                {
                    ["model_id"] = item.ModelId,
                    ["model_name"] = model?.Name,
                    ["model_version"] = model?.Version,
                    ["metrics"] = Points(MetricValues.ByMinute(rows.Where(r => r.ModelId == item.ModelId))),
                });
            }

            return Results.Json(new JsonObject
            {
                ["service_id"] = service.Id,
                ["service_name"] = service.Name,
                ["model_id"] = model_id,
                ["start_time"] = from,
                ["end_time"] = to,
                ["period"] = 60,
                ["metrics"] = Points(MetricValues.ByMinute(rows)),
                ["versions"] = versions,
            }, ApiJson.Options);
        });

        group.MapGet("/instance-logs", (HttpContext context, string project_id, string service_id, string? instance_id, string? model_id, string? last,
            long? start_time, long? end_time, string? query, int? offset, int? limit, string? order, ServiceManager manager, InstanceTelemetry telemetry,
            InstanceLogStore logs, ModelStore models, TimeProvider time) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var service = manager.Get(caller.ProjectId, service_id);
            var (from, to) = TimeWindow.Resolve(last, start_time, end_time, time.GetUtcNow(), TimeSpan.FromHours(1));
            var skip = offset ?? 0;
            var take = limit ?? 100;
            if (skip < 0)
            {
                throw Errors.InvalidParameter("offset", skip.ToString(CultureInfo.InvariantCulture), "must be 0 or more.");
            }

            if (take is < 1 or > MaxLogLimit)
            {
                throw Errors.InvalidParameter("limit", take.ToString(CultureInfo.InvariantCulture), $"must be between 1 and {MaxLogLimit}.");
            }

            var descending = order is null || string.Equals(order, "desc", StringComparison.OrdinalIgnoreCase);
            if (!descending && !string.Equals(order, "asc", StringComparison.OrdinalIgnoreCase))
            {
                throw Errors.InvalidParameter("order", order, "use asc or desc.");
            }

            LogQuery search;
            try
            {
                search = LogQuery.Parse(query);
            }
            catch (LogQuerySyntaxException e)
            {
                throw Errors.InvalidParameter("query", query, e.Message);
            }

            telemetry.FlushLogs();
            var total = 0;
            var page = new JsonArray();
            var versions = new Dictionary<string, string?>();
            foreach (var line in logs.Scan(service.Id, NullIfEmpty(instance_id), NullIfEmpty(model_id), from, to, descending))
            {
                if (!search.Matches(line.Line))
                {
                    continue;
                }

                if (total >= skip && page.Count < take)
                {
                    if (!versions.TryGetValue(line.ModelId, out var version))
                    {
                        version = models.FindAny(line.ModelId)?.Version;
                        versions[line.ModelId] = version;
                    }

                    page.Add(new JsonObject
                    {
                        ["time"] = line.Ts,
                        ["instance_id"] = line.InstanceId,
                        ["model_id"] = line.ModelId,
                        ["model_version"] = version,
                        ["stream"] = line.Stream,
                        ["content"] = line.Line,
                    });
                }

                total++;
            }

            return Results.Json(new JsonObject
            {
                ["service_id"] = service.Id,
                ["service_name"] = service.Name,
                ["start_time"] = from,
                ["end_time"] = to,
                ["query"] = search.Text,
                ["total_count"] = total,
                ["count"] = page.Count,
                ["logs"] = page,
            }, ApiJson.Options);
        });

        group.MapPost("/alarms", async (HttpContext context, string project_id, string service_id, ServiceManager manager, AlarmStore alarms,
            AlarmEvaluator evaluator, ModelStore models, TimeProvider time) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var service = manager.Get(caller.ProjectId, service_id);
            var body = await ApiJson.ReadBodyAsync<JsonObject>(context.Request, context.RequestAborted);
            var rule = AlarmRequest.Validate(body, service, models, Ids.NewUuid(), time.GetUtcNow().ToUnixTimeMilliseconds());
            if (alarms.ListByService(service.Id).Count >= MaxAlarmsPerService)
            {
                throw Errors.InvalidParameter("alarms", null, $"service {service.Name} already has {MaxAlarmsPerService} alarm rules; delete one first.");
            }

            if (!alarms.Insert(rule))
            {
                throw new InferaException(409, "ModelArts.3037", $"Alarm rule {rule.Name} already exists on service {service.Name}.");
            }

            evaluator.Refresh();
            return Results.Json(AlarmView(rule, models), ApiJson.Options);
        });
        group.MapGet("/alarms", (HttpContext context, string project_id, string service_id, ServiceManager manager, AlarmStore alarms, ModelStore models) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var service = manager.Get(caller.ProjectId, service_id);
            var list = alarms.ListByService(service.Id);
            return Results.Json(new JsonObject
            {
                ["service_id"] = service.Id,
                ["service_name"] = service.Name,
                ["count"] = list.Count,
                ["alarms"] = new JsonArray([.. list.Select(r => (JsonNode)AlarmView(r, models))]),
            }, ApiJson.Options);
        });
        group.MapDelete("/alarms/{alarm_id}", (HttpContext context, string project_id, string service_id, string alarm_id, ServiceManager manager,
            AlarmStore alarms, AlarmEvaluator evaluator) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var service = manager.Get(caller.ProjectId, service_id);
            if (!alarms.Delete(service.Id, alarm_id))
            {
                throw new InferaException(404, "ModelArts.0404", $"Alarm rule {alarm_id} does not exist on service {service.Name}.");
            }

            evaluator.Refresh();
            return Results.Json(new { }, ApiJson.Options);
        });

        app.MapGet("/v1/{project_id}/metrics", (HttpContext context, string project_id, PrometheusExporter exporter) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            return Results.Text(exporter.Render(caller.ProjectId), PrometheusExporter.ContentType);
        });
        app.MapGet("/metrics", (HttpContext context, PrometheusExporter exporter) =>
        {
            // Unauthenticated, so only for scrapers on this host; others use /v1/{project_id}/metrics with credentials.
            if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
            {
                throw new InferaException(403, "ModelArts.0210",
                    "GET /metrics answers loopback callers only; scrape GET /v1/{project_id}/metrics with an X-Auth-Token or an AK/SK signature instead.");
            }

            return Results.Text(exporter.Render(null), PrometheusExporter.ContentType);
        });
        return app;
    }

    /// <summary>The shape of an alarm rule in responses.</summary>
    public static JsonObject AlarmView(AlarmStore.AlarmRule rule, ModelStore models) => new()
    {
        ["alarm_id"] = rule.Id,
        ["name"] = rule.Name,
        ["service_id"] = rule.ServiceId,
        ["model_id"] = rule.ModelId,
        ["model_version"] = rule.ModelId is null ? null : models.FindAny(rule.ModelId)?.Version,
        ["metric"] = rule.Metric,
        ["comparison"] = rule.Comparison,
        ["threshold"] = rule.Threshold,
        ["periods"] = rule.Periods,
        ["state"] = rule.State,
        ["state_changed_at"] = rule.StateChangedAt == 0 ? null : rule.StateChangedAt,
        ["evaluated_minute"] = rule.EvaluatedMinute == 0 ? null : rule.EvaluatedMinute,
        ["last_value"] = rule.LastValue,
        ["create_at"] = rule.CreatedAt,
    };

    private static JsonArray Points(IReadOnlyList<MetricValues.Minute> minutes)
    {
        var points = new JsonArray();
        foreach (var m in minutes)
        {
            var point = new JsonObject { ["timestamp"] = m.Start };
            foreach (var metric in MetricValues.All)
            {
                if (MetricValues.Value(metric, m) is { } value)
                {
                    point[metric] = value;
                }
            }

            if (m.MemoryBytes is { } bytes)
            {
                point["memory_bytes"] = (long)bytes;
            }

            points.Add(point);
        }

        return points;
    }

    private static void RequireVersion(ServiceRecord service, string? modelId)
    {
        if (modelId is not null)
        {
            TrafficValidator.ResolveVersion("", modelId, null, service.Config, _ => null);
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
