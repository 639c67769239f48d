using System.Text.Json.Nodes;
using Infera.Core.Services;
using Infera.Gateway.Metrics;
using Infera.Storage.Stores;

namespace Infera.Server.Observability;

/// <summary>
/// Completes the monitor of spec §3.8 (<c>GET …/services/{id}/monitor</c>) with what this part measures:
/// <c>req_count_per_min</c> (calls of the service in the last completed minute) and, per version,
/// <c>cpu_core_usage</c> (cores its live instances used over the last 10 s sample), <c>cpu_core_total</c> (the
/// version's flavor: vCPUs × <c>instance_count</c>), <c>cpu_memory_usage</c> (their resident memory, MB),
/// <c>cpu_memory_total</c> (flavor memory × <c>instance_count</c>, MB), and <c>gpu_usage</c>/<c>gpu_total</c> 0 (no
/// GPU is used).
/// </summary>
public sealed class MonitorResources(MetricsRecorder recorder, MetricsStore metrics, ResourceSampler sampler, TimeProvider time)
{
    /// <summary>Adds the fields to <paramref name="monitor"/> (the JSON object built by <c>ServiceViews.Monitor</c>) and returns it.</summary>
    public JsonObject Extend(JsonObject monitor, ServiceRecord service)
    {
        recorder.Flush();
        var lastMinute = CallMetrics.MinuteOf(time.GetUtcNow()) - 60_000;
        monitor["req_count_per_min"] = metrics.Query(service.Id, null, lastMinute, lastMinute).Sum(r => r.Total);
        var usage = sampler.Latest.Where(u => u.Spec.ServiceId == service.Id).ToList();
        if (monitor["monitors"] is JsonArray versions)
        {
            foreach (var version in versions.OfType<JsonObject>())
            {
                var modelId = version["model_id"]?.GetValue<string>();
                var mine = usage.Where(u => u.Spec.ModelId == modelId).ToList();
                version["cpu_core_usage"] = Math.Round(mine.Sum(u => u.CpuCores), 3);
                var (cores, memoryMiB) = Capacity(service.Config.FirstOrDefault(c => c.ModelId == modelId));
                version["cpu_core_total"] = cores;
                version["cpu_memory_usage"] = mine.Sum(u => u.MemoryBytes) / (1024 * 1024);
                version["cpu_memory_total"] = memoryMiB;
                version["gpu_usage"] = 0;
                version["gpu_total"] = 0;
            }
        }

        return monitor;
    }

    private static (double Cores, long MemoryMiB) Capacity(ServiceConfigItem? item)
    {
        if (item is null)
        {
            return (Environment.ProcessorCount, ResourceSampler.NodeMemoryBytes / (1024 * 1024));
        }

        var flavor = Services.FlavorCatalog.Of(item);
        return (flavor.Cpu * item.InstanceCount, (long)flavor.MemoryMiB * item.InstanceCount);
    }
}
