using Infera.Gateway.Limits;

namespace Infera.Gateway.Tests.Limits;

public sealed class RequestRateLimiterTests
{
    private sealed class ManualClock(long unixMs) : TimeProvider
    {
        public long UnixMs = unixMs;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref UnixMs));
    }

    [Fact]
    public async Task TryAcquire_ManyThreads_AdmitExactlyTheLimitPerSecond()
    {
        var clock = new ManualClock(1_700_000_000_250);
        var limiter = new RequestRateLimiter(clock);
        for (var second = 0; second < 5; second++)
        {
            var admitted = 0;
            using var start = new Barrier(8);
            var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < 20_000; i++)
                {
                    if (limiter.TryAcquire(500, out _))
                    {
                        Interlocked.Increment(ref admitted);
                    }
                }
            })).ToArray();
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(500, admitted);
            Interlocked.Add(ref clock.UnixMs, 1000);
        }
    }

    [Fact]
    public void TryAcquire_Refused_RetryAfterIsTheRestOfTheSecond()
    {
        var clock = new ManualClock(1_700_000_000_250);
        var limiter = new RequestRateLimiter(clock);
        Assert.True(limiter.TryAcquire(1, out _));
        Assert.False(limiter.TryAcquire(1, out var retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(750), retryAfter);

        // The next wall-clock second opens a new window, even 1 ms later.
        clock.UnixMs = 1_700_000_001_000;
        Assert.True(limiter.TryAcquire(1, out _));

        // A raised limit applies at once within the same second, without resetting the count.
        Assert.False(limiter.TryAcquire(1, out _));
        Assert.True(limiter.TryAcquire(2, out _));
        Assert.False(limiter.TryAcquire(2, out _));
    }
}
