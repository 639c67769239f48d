using System.Globalization;

namespace Infera.Runtime.Processes;

/// <summary>
/// Runs an instance's probes for as long as it lives, with the semantics of seed 003 §2.2.3 (table 2-8):
/// the startup probe runs first and, until it succeeds, no other probe runs (failing it
/// <see cref="ProbeSpec.FailureThreshold"/> times in a row fails the instance); then the readiness probe decides
/// whether the instance gets traffic (<see cref="IsReady"/>) and the liveness probe, when it fails its threshold,
/// completes <see cref="LivenessFailed"/> so that the supervisor restarts the instance.
/// </summary>
public sealed class InstanceHealthMonitor : IDisposable
{
    private readonly InstanceProcess _instance;
    private readonly InstanceProbes _probes;
    private readonly ProbeExecutor _executor;
    private readonly TimeProvider _time;
    private readonly Action _changed;
    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource<ReadinessResult> _firstReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _livenessFailed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DateTimeOffset _deadline;
    private readonly TimeSpan _startTimeout;
    private volatile bool _ready;
    private volatile string? _notReadyReason;

    private InstanceHealthMonitor(InstanceProcess instance, InstanceProbes probes, ProbeExecutor executor, TimeProvider time,
        TimeSpan startTimeout, Action changed, CancellationToken cancellationToken)
    {
        _instance = instance;
        _probes = probes;
        _executor = executor;
        _time = time;
        _changed = changed;
        _startTimeout = startTimeout;
        _deadline = time.GetUtcNow() + startTimeout;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>
    /// Completes once: <see cref="ReadinessOutcome.Ready"/> at the first readiness success (after the startup
    /// probe), <see cref="ReadinessOutcome.Exited"/> when the process ends first, <see cref="ReadinessOutcome.ProbeFailed"/>
    /// when the startup or liveness probe fails its threshold first, <see cref="ReadinessOutcome.TimedOut"/> when the
    /// start timeout passes first.
    /// </summary>
    public Task<ReadinessResult> FirstReady => _firstReady.Task;

    /// <summary>Whether the instance may get traffic now: its readiness probe last passed its threshold and it runs.</summary>
    public bool IsReady => _ready && !_instance.Exited.IsCompleted && !_livenessFailed.Task.IsCompleted;

    /// <summary>Why the instance is not ready after having been ready (readiness probe failures), or null.</summary>
    public string? NotReadyReason => _notReadyReason;

    /// <summary>Completes with the reason when the liveness probe failed its threshold; the instance must be restarted.</summary>
    public Task<string> LivenessFailed => _livenessFailed.Task;

    /// <summary>Starts probing <paramref name="instance"/> in the background.</summary>
    /// <param name="instance">The started process.</param>
    /// <param name="probes">Its probes.</param>
    /// <param name="executor">Runs single attempts.</param>
    /// <param name="time">Clock for delays and the start timeout.</param>
    /// <param name="startTimeout">How long the instance may take to become ready the first time.</param>
    /// <param name="changed">Called (on a pool thread) whenever readiness, liveness or <see cref="FirstReady"/> changes.</param>
    /// <param name="cancellationToken">Stops probing (server shutdown); <see cref="Dispose"/> does too.</param>
    /// <returns>The running monitor.</returns>
    public static InstanceHealthMonitor Start(InstanceProcess instance, InstanceProbes probes, ProbeExecutor executor, TimeProvider time,
        TimeSpan startTimeout, Action changed, CancellationToken cancellationToken)
    {
        var monitor = new InstanceHealthMonitor(instance, probes, executor, time, startTimeout, changed, cancellationToken);
        _ = monitor.RunAsync();
        return monitor;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        _ = _instance.Exited.ContinueWith(
            t =>
            {
                _ready = false;
                if (_firstReady.TrySetResult(new ReadinessResult(ReadinessOutcome.Exited, ReadinessProbe.DescribeExit(_instance, t.Result))))
                {
                    _changed();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        try
        {
            if (_probes.Startup is { } startup && !await StartupAsync(startup, token))
            {
                return;
            }

            var liveness = _probes.Liveness is { } l ? LivenessAsync(l, token) : Task.CompletedTask;
            await Task.WhenAll(ReadinessAsync(_probes.Readiness, token), liveness);
        }
        catch (OperationCanceledException)
        {
            // Stopped (instance removed or server shutdown).
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task<bool> StartupAsync(ProbeSpec probe, CancellationToken token)
    {
        if (!await SleepAsync(probe.InitialDelay, token))
        {
            return false;
        }

        var failures = 0;
        while (true)
        {
            var error = await _executor.RunAsync(_instance, probe, token);
            if (error is null)
            {
                return true;
            }

            if (++failures >= probe.FailureThreshold)
            {
                Finish(ReadinessOutcome.ProbeFailed, $"startup probe {probe.Describe()} failed {Count(failures)} in a row: {error}.");
                return false;
            }

            if (_time.GetUtcNow() >= _deadline)
            {
                Finish(ReadinessOutcome.TimedOut, $"instance did not pass its startup probe {probe.Describe()} within {_startTimeout.TotalSeconds:0} s; last attempt: {error}.");
                return false;
            }

            if (!await SleepAsync(probe.Period, token))
            {
                return false;
            }
        }
    }

    private async Task ReadinessAsync(ProbeSpec probe, CancellationToken token)
    {
        if (!await SleepAsync(probe.InitialDelay, token))
        {
            return;
        }

        var failures = 0;
        while (true)
        {
            var error = await _executor.RunAsync(_instance, probe, token);
            if (error is null)
            {
                failures = 0;
                if (!_ready && !_livenessFailed.Task.IsCompleted)
                {
                    _ready = true;
                    _notReadyReason = null;
                    _firstReady.TrySetResult(new ReadinessResult(ReadinessOutcome.Ready, ""));
                    _changed();
                }

                if (probe.UntilFirstSuccess)
                {
                    return;
                }
            }
            else
            {
                failures++;
                if (_ready && failures >= probe.FailureThreshold)
                {
                    _ready = false;
                    _notReadyReason = $"readiness probe {probe.Describe()} failed {Count(failures)} in a row: {error}";
                    _changed();
                }

                if (!_firstReady.Task.IsCompleted && _time.GetUtcNow() >= _deadline)
                {
                    Finish(ReadinessOutcome.TimedOut, probe.UntilFirstSuccess
                        ? $"instance did not answer {probe.Path} within {_startTimeout.TotalSeconds:0} s."
                        : $"instance did not pass its readiness probe {probe.Describe()} within {_startTimeout.TotalSeconds:0} s; last attempt: {error}.");
                    return;
                }
            }

            if (!await SleepAsync(probe.Period, token))
            {
                return;
            }
        }
    }

    private async Task LivenessAsync(ProbeSpec probe, CancellationToken token)
    {
        if (!await SleepAsync(probe.InitialDelay, token))
        {
            return;
        }

        var failures = 0;
        while (true)
        {
            var error = await _executor.RunAsync(_instance, probe, token);
            failures = error is null ? 0 : failures + 1;
            if (failures >= probe.FailureThreshold)
            {
                var reason = $"liveness probe {probe.Describe()} failed {Count(failures)} in a row: {error}";
                _ready = false;
                _livenessFailed.TrySetResult(reason);
                Finish(ReadinessOutcome.ProbeFailed, reason + ".");
                _changed();
                return;
            }

            if (!await SleepAsync(probe.Period, token))
            {
                return;
            }
        }
    }

    private void Finish(ReadinessOutcome outcome, string reason)
    {
        if (_firstReady.TrySetResult(new ReadinessResult(outcome, reason)))
        {
            _changed();
        }
    }

    // False when the process exited (or probing stopped) during the wait.
    private async Task<bool> SleepAsync(TimeSpan delay, CancellationToken token)
    {
        if (_instance.Exited.IsCompleted)
        {
            return false;
        }

        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await _instance.Exited.WaitAsync(delay, _time, token);
            return false;
        }
        catch (TimeoutException)
        {
            return !_instance.Exited.IsCompleted;
        }
    }

    private static string Count(int failures) =>
        failures == 1 ? "once" : failures.ToString(CultureInfo.InvariantCulture) + " times";
}
