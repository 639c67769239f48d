using Polly;
using Polly.Retry;

namespace Infera.Server.Hosting.Background;

/// <summary>
/// The retry policy of background loops (Polly): every exception except a cancellation caused by shutdown is retried,
/// without limit, with exponential back-off from <see cref="BackgroundLoopOptions.FirstRetryDelay"/> up to
/// <see cref="BackgroundLoopOptions.MaxRetryDelay"/> (jittered when <see cref="BackgroundLoopOptions.UseJitter"/>), on
/// the injected clock.
/// </summary>
public static class LoopRetryPolicy
{
    /// <summary>Told about each failure before its retry: the exception, the 0-based attempt number and the wait before the retry.</summary>
    public delegate void FailureHandler(Exception exception, int attempt, TimeSpan retryDelay);

    /// <summary>Builds the pipeline that runs one loop's ticks.</summary>
    /// <param name="options">Back-off settings.</param>
    /// <param name="time">Clock of the waits.</param>
    /// <param name="onFailure">Called before each wait.</param>
    public static ResiliencePipeline Create(BackgroundLoopOptions options, TimeProvider time, FailureHandler onFailure) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(IsRetried(args.Outcome.Exception, args.Context.CancellationToken)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                Delay = options.FirstRetryDelay,
                MaxDelay = options.MaxRetryDelay,
                OnRetry = args =>
                {
                    onFailure(args.Outcome.Exception!, args.AttemptNumber, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>True for every failure except the cancellation of <paramref name="stopping"/> (shutdown ends the loop instead).</summary>
    public static bool IsRetried(Exception? exception, CancellationToken stopping) =>
        exception is not null && !(exception is OperationCanceledException && stopping.IsCancellationRequested);
}
