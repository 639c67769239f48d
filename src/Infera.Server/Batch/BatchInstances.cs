using Infera.Core.Models;
using Infera.Core.Services;
using Infera.Packaging;
using Infera.Runtime.Processes;
using Infera.Runtime.Python;
using Infera.Server.Services;

namespace Infera.Server.Batch;

/// <summary>
/// Starts and stops the instances of one batch run with the same <see cref="InstanceLauncher"/> as real-time
/// instances (factories, dynamic loading, flavor limits, probes, a row in <c>instances</c> so that a killed server's
/// leftovers are stopped at the next start).
/// </summary>
public sealed class BatchInstances(InstanceLauncher launcher)
{
    /// <summary>One started instance of a batch run.</summary>
    /// <param name="Process">The process.</param>
    /// <param name="Monitor">Its probes.</param>
    public sealed record Started(InstanceProcess Process, InstanceHealthMonitor Monitor)
    {
        /// <summary>Instance id.</summary>
        public string Id => Process.Spec.InstanceId;

        /// <summary><c>http://127.0.0.1:{port}</c>.</summary>
        public string BaseUri => Process.Spec.BaseUri;
    }

    /// <summary>Starts <paramref name="count"/> instances of <paramref name="model"/> and waits until every one is ready.</summary>
    /// <param name="service">The batch service.</param>
    /// <param name="model">Its model version.</param>
    /// <param name="item">Its config item (envs, flavor, deploy timeout).</param>
    /// <param name="count">Instances to start.</param>
    /// <param name="started">Receives each instance as soon as it is started, so the caller can stop them all whatever happens.</param>
    /// <param name="cancellationToken">Stop or shutdown.</param>
    /// <exception cref="BatchRunException">An instance could not be started or did not become ready.</exception>
    public async Task StartAsync(ServiceRecord service, ModelRecord model, ServiceConfigItem item, int count, List<Started> started, CancellationToken cancellationToken)
    {
        if (InstanceLauncher.EngineUnavailable(model.ModelType) is { } unavailable)
        {
            throw new BatchRunException(unavailable);
        }

        var config = model.ConfigJson.Length > 0 ? ModelConfigReader.Read(model.ConfigJson).Config : null;
        for (var i = 0; i < count; i++)
        {
            try
            {
                var launched = launcher.Start(service, model, config, item, static () => { }, cancellationToken);
                started.Add(new Started(launched.Process, launched.Monitor));
            }
            catch (InstanceLaunchException e)
            {
                throw new BatchRunException(e.Message);
            }
        }

        foreach (var instance in started)
        {
            var result = await instance.Monitor.FirstReady.WaitAsync(cancellationToken);
            if (result.Outcome != ReadinessOutcome.Ready)
            {
                throw new BatchRunException($"instance {instance.Id} did not become ready: {result.Reason}");
            }
        }
    }

    /// <summary>Stops the instances (SIGTERM, grace, kill) and forgets their rows; never throws.</summary>
    /// <param name="instances">The run's instances.</param>
    /// <returns>A task that completes when every process is gone.</returns>
    public Task StopAsync(IEnumerable<Started> instances) =>
        Task.WhenAll(instances.Select(instance => launcher.StopAsync(instance.Process, instance.Monitor, ServiceReconciler.StopGrace)));
}

/// <summary>A batch run cannot go on (instances, model, input listing); the service becomes failed with this message.</summary>
public sealed class BatchRunException(string message) : Exception(message);
