using Infera.Cli.Infrastructure;
using Infera.Client;
using Infera.Client.Services;
using Spectre.Console;

namespace Infera.Cli.Commands.Service;

/// <summary>
/// Follows a batch service until it is finished, failed or stopped: a progress bar of processed inputs on stderr
/// when a person is watching (stdout and stderr are terminals, table output), one line per change otherwise.
/// </summary>
internal static class BatchProgress
{
    /// <summary>Statuses after which a batch service does not change on its own.</summary>
    public static readonly string[] Final = ["finished", "failed", "stopped"];

    /// <summary>Polls the service until <see cref="Final"/>; returns it.</summary>
    /// <param name="session">The command session.</param>
    /// <param name="client">The client.</param>
    /// <param name="serviceId">The batch service.</param>
    /// <param name="timeout">Give up after this long.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The service in a final state.</returns>
    /// <exception cref="CliException">The timeout passed (exit code <see cref="ExitCodes.WaitFailed"/>).</exception>
    public static async Task<ServiceDetail> WatchAsync(CliSession session, InferaClient client, string serviceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var options = session.Context.Options;
        if (!options.StdoutIsTerminal || !options.StderrIsTerminal || session.IsJson)
        {
            return await Waiter.WaitAsync(session, $"batch service {serviceId}", timeout, ct => client.GetServiceAsync(serviceId, ct), Describe,
                s => Final.Contains(s.Status), cancellationToken);
        }

        return await session.Context.Err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("deploying", autoStart: true, maxValue: 1);
                var time = options.TimeProvider;
                var started = time.GetTimestamp();
                while (true)
                {
                    var service = await client.GetServiceAsync(serviceId, cancellationToken);
                    task.MaxValue = Math.Max(1, service.InputCount ?? 0);
                    task.Value = service.ProcessedCount ?? 0;
                    task.Description = Markup.Escape(Describe(service));
                    if (Final.Contains(service.Status))
                    {
                        if (service.Status == "finished")
                        {
                            task.Value = task.MaxValue;
                        }

                        return service;
                    }

                    if (time.GetElapsedTime(started) >= timeout)
                    {
                        throw new CliException(ExitCodes.WaitFailed, $"gave up waiting for batch service {serviceId} after {timeout.TotalSeconds:0}s; it is still {Describe(service)}");
                    }

                    await Task.Delay(options.PollInterval, time, cancellationToken);
                }
            });
    }

    /// <summary>e.g. <c>running 12/40 (1 failed)</c>.</summary>
    public static string Describe(ServiceDetail service) =>
        service.InputCount is { } total && total > 0
            ? $"{service.Status} {service.ProcessedCount ?? 0}/{total}" + (service.FailedCount is > 0 ? $" ({service.FailedCount} failed)" : "")
            : service.Status;
}
