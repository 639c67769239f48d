using Infera.Core.Events;
using Microsoft.Extensions.Logging;

namespace Infera.Server.Hosting.Background;

/// <summary>
/// Runs every background loop of the server the same way (issue #20): the start step and each tick go through
/// <see cref="LoopRetryPolicy"/>, so a failure is logged with a stable event id, recorded in
/// <see cref="LoopHealthRegistry"/> (which <c>/readyz</c> reads), written as a server event when a run of failures
/// begins and when it ends, and retried with back-off until it succeeds. Only shutdown ends a loop; a loop that ends
/// any other way (a defect) is reported stopped, and the host keeps running.
/// </summary>
public sealed partial class BackgroundLoopRunner(
    LoopHealthRegistry health, BackgroundLoopOptions options, ServerEvents serverEvents, TimeProvider time, ILogger<BackgroundLoopRunner> logger)
{
    /// <summary>Runs <paramref name="loop"/> until <paramref name="stoppingToken"/> fires, then its final step.</summary>
    public async Task RunAsync(BackgroundLoop loop, CancellationToken stoppingToken)
    {
        health.Register(loop.Name, loop.EffectiveStallAfter);
        var pipeline = LoopRetryPolicy.Create(options, time, (e, attempt, delay) => OnFailure(loop.Name, e, attempt, delay));
        string? crash = null;
        try
        {
            if (loop.Start is { } start)
            {
                await pipeline.ExecuteAsync(async ct => await RunOnceAsync(loop.Name, start, ct), stoppingToken);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                await pipeline.ExecuteAsync(async ct => await RunOnceAsync(loop.Name, loop.Tick, ct), stoppingToken);
                if (loop.Wait is { } wait)
                {
                    await wait(stoppingToken);
                }
                else
                {
                    await Task.Delay(loop.Period, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        catch (Exception e)
        {
            // Only a defect of the loop's own wait can get here (ticks are retried); the host keeps running.
            crash = LoopHealthRegistry.Describe(e);
            LogLoopCrashed(logger, loop.Name, e);
            serverEvents.Add(EventRecord.Abnormal, $"Background loop {loop.Name} stopped unexpectedly: {crash}. Restart the server.");
        }
        finally
        {
            RunFinal(loop);
            health.Stopped(loop.Name, crash);
        }
    }

    private async ValueTask RunOnceAsync(string name, Func<CancellationToken, ValueTask> work, CancellationToken cancellationToken)
    {
        await work(cancellationToken);
        if (health.Succeeded(name) is { } recovery)
        {
            LogLoopRecovered(logger, name, recovery.Failures, recovery.Duration);
            serverEvents.Add(EventRecord.Normal,
                $"Background loop {name} recovered after {recovery.Failures} failed attempt(s) over {recovery.Duration.TotalSeconds:0} s.");
        }
        else
        {
            serverEvents.Flush();
        }
    }

    private void OnFailure(string name, Exception exception, int attempt, TimeSpan delay)
    {
        if (health.Failed(name, exception, delay))
        {
            LogLoopFailed(logger, name, delay, exception);
            serverEvents.Add(EventRecord.Abnormal,
                $"Background loop {name} is failing: {LoopHealthRegistry.Describe(exception)}; it retries with back-off and recovers by itself when the fault clears.");
        }
        else
        {
            LogLoopStillFailing(logger, name, attempt + 1, delay, LoopHealthRegistry.Describe(exception));
        }
    }

    private void RunFinal(BackgroundLoop loop)
    {
        if (loop.Final is null)
        {
            return;
        }

        try
        {
            loop.Final();
        }
        catch (Exception e)
        {
            LogFinalFailed(logger, loop.Name, e);
        }
    }

    [LoggerMessage(EventId = 1701, EventName = "BackgroundLoopFailed", Level = LogLevel.Warning,
        Message = "Background loop {Loop} failed; retrying in {Delay} and with growing back-off until it succeeds.")]
    private static partial void LogLoopFailed(ILogger logger, string loop, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 1702, EventName = "BackgroundLoopStillFailing", Level = LogLevel.Warning,
        Message = "Background loop {Loop} failed again ({Failures} attempts in a row); retrying in {Delay}: {Error}")]
    private static partial void LogLoopStillFailing(ILogger logger, string loop, int failures, TimeSpan delay, string error);

    [LoggerMessage(EventId = 1703, EventName = "BackgroundLoopRecovered", Level = LogLevel.Information,
        Message = "Background loop {Loop} recovered after {Failures} failed attempts over {Duration}.")]
    private static partial void LogLoopRecovered(ILogger logger, string loop, int failures, TimeSpan duration);

    [LoggerMessage(EventId = 1704, EventName = "BackgroundLoopCrashed", Level = LogLevel.Critical,
        Message = "Background loop {Loop} stopped unexpectedly; the server keeps running without it until restarted.")]
    private static partial void LogLoopCrashed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(EventId = 1705, EventName = "BackgroundLoopFinalFailed", Level = LogLevel.Warning,
        Message = "The final step of background loop {Loop} failed at shutdown.")]
    private static partial void LogFinalFailed(ILogger logger, string loop, Exception exception);
}
