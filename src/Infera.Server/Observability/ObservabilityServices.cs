using Infera.Gateway.Metrics;
using Infera.Runtime.Processes;
using Infera.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Infera.Server.Observability;

/// <summary>Registers the observability parts (issue #6 part B): metrics, instance logs, resource sampling, alarms.</summary>
public static class ObservabilityServices
{
    /// <summary>Adds the stores, the gateway's <see cref="CallMetrics"/>, the instance observer, the alarm state and the worker.</summary>
    public static IServiceCollection AddInferaObservability(this IServiceCollection services)
    {
        services.TryAddSingleton<CallMetrics>();
        services.TryAddSingleton<MetricsStore>();
        services.TryAddSingleton<InstanceLogStore>();
        services.TryAddSingleton<AlarmStore>();
        services.TryAddSingleton<MetricsRecorder>();
        services.TryAddSingleton<InstanceTelemetry>();
        services.TryAddSingleton<IInstanceObserver>(sp => sp.GetRequiredService<InstanceTelemetry>());
        services.TryAddSingleton<ResourceSampler>();
        services.TryAddSingleton<AlarmEvaluator>();
        services.TryAddSingleton<IAlarmState>(sp => sp.GetRequiredService<AlarmEvaluator>());
        services.TryAddSingleton<PrometheusExporter>();
        services.TryAddSingleton<MonitorResources>();
        services.TryAddSingleton<ObservabilityWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ObservabilityWorker>());
        return services;
    }
}
