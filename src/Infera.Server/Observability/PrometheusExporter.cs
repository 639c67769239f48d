using System.Globalization;
using System.Text;
using Infera.Core.Services;
using Infera.Gateway.Routing;
using Infera.Server.Services;
using Infera.Storage.Stores;

namespace Infera.Server.Observability;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4 (MISSION R-S13): request counters since the server started
/// (reset at restart, as Prometheus counters may be), instance gauges from the latest CPU/memory sample, and alarm
/// states. Written by hand: the format is a few lines, and the OpenTelemetry exporter would only re-export the same
/// numbers. Families:
/// <list type="bullet">
/// <item><c>infera_service_requests_total{project_id,service_id,service_name,model_id,model_version,code}</c>
/// counter; <c>code</c> is <c>2xx</c>, <c>4xx</c>, <c>5xx</c> or <c>other</c>; <c>model_id</c> is empty for calls no
/// version took (throttled, no ready instance).</item>
/// <item><c>infera_service_request_failures_total</c> counter (status ≥ 400), same labels without <c>code</c>.</item>
/// <item><c>infera_service_request_duration_seconds_sum</c> / <c>_count</c> (summary without quantiles).</item>
/// <item><c>infera_service_instances</c> / <c>infera_service_ready_instances</c> gauges per service, with <c>status</c>.</item>
/// <item><c>infera_instance_cpu_usage_ratio</c> (cores used, 1 = one core) and <c>infera_instance_memory_bytes</c>
/// (resident) per instance, labels <c>service_id,service_name,model_id,model_version,instance_id</c>.</item>
/// <item><c>infera_alarm_firing{service_id,service_name,alarm_id,alarm_name,metric}</c> 1 while the rule fires, else 0.</item>
/// </list>
/// </summary>
public sealed class PrometheusExporter(ServiceStore services, ModelStore models, MetricsRecorder recorder, ResourceSampler sampler, AlarmStore alarms, RoutingTable routes)
{
    /// <summary>The content type of the text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The exposition of every service of <paramref name="projectId"/>, or of every project when null.</summary>
    public string Render(string? projectId)
    {
        var list = (projectId is null ? services.ListAll() : services.ListByProject(projectId))
            .Where(s => s.DesiredState != ServiceManager.DesiredDeleted && s.InferType == InferTypes.RealTime).ToList();
        var byId = list.ToDictionary(s => s.Id);
        var versions = new Dictionary<string, string>();
        string Version(string modelId)
        {
            if (modelId.Length == 0)
            {
                return "";
            }

            if (!versions.TryGetValue(modelId, out var v))
            {
                v = models.FindAny(modelId)?.Version ?? "";
                versions[modelId] = v;
            }

            return v;
        }

        var totals = recorder.SnapshotTotals().Where(t => byId.ContainsKey(t.Key.ServiceId)).OrderBy(t => t.Key.ServiceId, StringComparer.Ordinal)
            .ThenBy(t => t.Key.ModelId, StringComparer.Ordinal).ToList();
        var text = new StringBuilder();

        Header(text, "infera_service_requests_total", "counter", "Inference calls answered by the gateway since the server started, by status class.");
        foreach (var ((serviceId, modelId), t) in totals)
        {
            var labels = CallLabels(byId[serviceId], modelId, Version(modelId));
            Sample(text, "infera_service_requests_total", labels + ",code=\"2xx\"", t.Count2xx);
            Sample(text, "infera_service_requests_total", labels + ",code=\"4xx\"", t.Count4xx);
            Sample(text, "infera_service_requests_total", labels + ",code=\"5xx\"", t.Count5xx);
            var other = t.Total - t.Count2xx - t.Count4xx - t.Count5xx;
            if (other > 0)
            {
                Sample(text, "infera_service_requests_total", labels + ",code=\"other\"", other);
            }
        }

        Header(text, "infera_service_request_failures_total", "counter", "Inference calls answered with status 400 or above since the server started.");
        foreach (var ((serviceId, modelId), t) in totals)
        {
            Sample(text, "infera_service_request_failures_total", CallLabels(byId[serviceId], modelId, Version(modelId)), t.Failed);
        }

        Header(text, "infera_service_request_duration_seconds", "summary", "Time from a call's arrival to its last byte, in seconds.");
        foreach (var ((serviceId, modelId), t) in totals)
        {
            var labels = CallLabels(byId[serviceId], modelId, Version(modelId));
            Sample(text, "infera_service_request_duration_seconds_sum", labels, t.LatencyMsSum / 1000);
            Sample(text, "infera_service_request_duration_seconds_count", labels, t.Total);
        }

        Header(text, "infera_service_instances", "gauge", "Instances a service is configured with.");
        foreach (var s in list)
        {
            Sample(text, "infera_service_instances", ServiceLabels(s) + $",status=\"{Escape(s.Status)}\"", s.Config.Sum(c => c.InstanceCount));
        }

        Header(text, "infera_service_ready_instances", "gauge", "Instances of a service that receive requests now.");
        foreach (var s in list)
        {
            Sample(text, "infera_service_ready_instances", ServiceLabels(s) + $",status=\"{Escape(s.Status)}\"", routes.Find(s.Id)?.ReadyCount ?? 0);
        }

        var usage = sampler.Latest.Where(u => byId.ContainsKey(u.Spec.ServiceId)).OrderBy(u => u.Spec.ServiceId, StringComparer.Ordinal)
            .ThenBy(u => u.Spec.InstanceId, StringComparer.Ordinal).ToList();
        Header(text, "infera_instance_cpu_usage_ratio", "gauge", "CPU an instance used over the last sampling interval (10 s), in cores.");
        foreach (var u in usage)
        {
            Sample(text, "infera_instance_cpu_usage_ratio", InstanceLabels(byId[u.Spec.ServiceId], u, Version(u.Spec.ModelId)), u.CpuCores);
        }

        Header(text, "infera_instance_memory_bytes", "gauge", "Resident memory of an instance and its child processes, in bytes.");
        foreach (var u in usage)
        {
            Sample(text, "infera_instance_memory_bytes", InstanceLabels(byId[u.Spec.ServiceId], u, Version(u.Spec.ModelId)), u.MemoryBytes);
        }

        Header(text, "infera_alarm_firing", "gauge", "1 while an alarm rule fires, else 0.");
        foreach (var rule in alarms.ListAll().Where(r => byId.ContainsKey(r.ServiceId)))
        {
            var s = byId[rule.ServiceId];
            Sample(text, "infera_alarm_firing",
                $"service_id=\"{Escape(s.Id)}\",service_name=\"{Escape(s.Name)}\",alarm_id=\"{Escape(rule.Id)}\",alarm_name=\"{Escape(rule.Name)}\",metric=\"{Escape(rule.Metric)}\"",
                rule.State == AlarmEvaluator.Firing ? 1 : 0);
        }

        return text.ToString();
    }

    /// <summary>Escapes a label value: backslash, double quote and line feed (exposition format).</summary>
    public static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string ServiceLabels(ServiceRecord s) =>
        $"project_id=\"{Escape(s.ProjectId)}\",service_id=\"{Escape(s.Id)}\",service_name=\"{Escape(s.Name)}\"";

    private static string CallLabels(ServiceRecord s, string modelId, string version) =>
        $"{ServiceLabels(s)},model_id=\"{Escape(modelId)}\",model_version=\"{Escape(version)}\"";

    private static string InstanceLabels(ServiceRecord s, ResourceSampler.InstanceUsage u, string version) =>
        $"service_id=\"{Escape(s.Id)}\",service_name=\"{Escape(s.Name)}\",model_id=\"{Escape(u.Spec.ModelId)}\",model_version=\"{Escape(version)}\",instance_id=\"{Escape(u.Spec.InstanceId)}\"";

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("G17", CultureInfo.InvariantCulture)).Append('\n');
}
