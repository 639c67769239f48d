using Infera.Server.Hosting.Background;
using Microsoft.Extensions.Time.Testing;

namespace Infera.Server.Tests.Hosting.Background;

public sealed class LoopRetryPolicyTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Execute_FailsThreeTimes_RetriesWithExponentialBackOffCappedAtTheMaximum()
    {
        var time = new FakeTimeProvider();
        var delays = new List<TimeSpan>();
        var options = new BackgroundLoopOptions { FirstRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(3), UseJitter = false };
        var pipeline = LoopRetryPolicy.Create(options, time, (_, _, delay) => delays.Add(delay));
        var attempts = 0;

        var run = pipeline.ExecuteAsync(_ => ++attempts <= 3 ? throw new IOException("busy") : ValueTask.CompletedTask, CancellationToken.None).AsTask();
        while (!run.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        await run.WaitAsync(Limit);
        Assert.Equal(4, attempts);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], delays);
    }

    [Fact]
    public void IsRetried_CancellationOfTheStoppingToken_IsNotRetried()
    {
        using var stopping = new CancellationTokenSource();
        stopping.Cancel();

        Assert.False(LoopRetryPolicy.IsRetried(new OperationCanceledException(), stopping.Token));
        Assert.True(LoopRetryPolicy.IsRetried(new OperationCanceledException(), CancellationToken.None));
        Assert.True(LoopRetryPolicy.IsRetried(new InvalidOperationException(), stopping.Token));
        Assert.False(LoopRetryPolicy.IsRetried(null, CancellationToken.None));
    }

    [Fact]
    public void Validate_MaximumBelowFirstDelay_NamesTheSetting()
    {
        var errors = new BackgroundLoopOptions { FirstRetryDelay = TimeSpan.FromSeconds(5), MaxRetryDelay = TimeSpan.FromSeconds(1) }.Validate().ToList();

        Assert.Contains(errors, e => e.Contains("BackgroundLoops:MaxRetryDelay", StringComparison.Ordinal));
    }
}
