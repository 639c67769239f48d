using Infera.Cli.Infrastructure;
using Infera.Client;
using Infera.Client.Services;

namespace Infera.Cli.Commands.Service;

/// <summary>Waiting for a service to settle and explaining a failure; shared by deploy, start and stop.</summary>
internal static class ServiceLifecycle
{
    /// <summary>Waits until the service reaches one of <paramref name="targets"/> or fails, then prints it and returns the exit code.</summary>
    /// <param name="session">The command session.</param>
    /// <param name="client">The client.</param>
    /// <param name="serviceId">The service id.</param>
    /// <param name="targets">Statuses that mean success.</param>
    /// <param name="noWait">Print the current state without waiting.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> SettleAsync(
        CliSession session, InferaClient client, string serviceId, IReadOnlyCollection<string> targets, bool noWait, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ServiceDetail service;
        if (noWait)
        {
            service = await client.GetServiceAsync(serviceId, cancellationToken);
        }
        else
        {
            var title = $"service {serviceId}";
            service = await Waiter.WaitAsync(
                session,
                title,
                timeout,
                ct => client.GetServiceAsync(serviceId, ct),
                s => s.Progress is { } p && s.Status == "deploying" ? $"{s.Status} {p}%" : s.Status,
                s => targets.Contains(s.Status) || IsFailed(s),
                cancellationToken);
        }

        session.Emit(service, Views.Service);
        if (noWait || !IsFailed(service) || targets.Contains(service.Status))
        {
            if (service.Status == "concerning")
            {
                session.Info($"service {service.ServiceName} is concerning: some instances are not healthy");
            }

            return ExitCodes.Success;
        }

        session.Context.Error($"service {service.ServiceName} ({service.ServiceId}) is {service.Status}: {service.ErrorMsg}");
        var events = await client.ListServiceEventsAsync(service.ServiceId, new InferaEventQuery { EventType = "abnormal" }, cancellationToken);
        Views.PrintAbnormal(session, events.Events);
        return ExitCodes.WaitFailed;
    }

    private static bool IsFailed(ServiceDetail service) => service.Status is "failed";
}
