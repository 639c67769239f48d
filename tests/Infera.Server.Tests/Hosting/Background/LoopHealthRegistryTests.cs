using Infera.Server.Hosting.Background;
using Microsoft.Extensions.Time.Testing;

namespace Infera.Server.Tests.Hosting.Background;

public sealed class LoopHealthRegistryTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Snapshot_NewLoop_IsStartingAndHealthy()
    {
        var registry = new LoopHealthRegistry(_time);
        registry.Register("loop", TimeSpan.FromSeconds(30));

        var health = Assert.Single(registry.Snapshot());

        Assert.Equal(LoopState.Starting, health.State);
        Assert.True(health.IsHealthy);
    }

    [Fact]
    public void Failed_ThenSucceeded_ReportsFailingThenTheRecovery()
    {
        var registry = new LoopHealthRegistry(_time);
        registry.Register("loop", null);

        Assert.True(registry.Failed("loop", new IOException("disk gone"), TimeSpan.FromSeconds(1)));
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(registry.Failed("loop", new IOException("disk still gone"), TimeSpan.FromSeconds(2)));
        var failing = Assert.Single(registry.Snapshot());
        _time.Advance(TimeSpan.FromSeconds(2));
        var recovery = registry.Succeeded("loop");

        Assert.Equal(LoopState.Failing, failing.State);
        Assert.False(failing.IsHealthy);
        Assert.Equal(2, failing.ConsecutiveFailures);
        Assert.Equal("IOException: disk still gone", failing.LastError);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(2), failing.NextRetryAt);
        Assert.Equal(new LoopHealthRegistry.Recovery(2, TimeSpan.FromSeconds(5)), recovery);
        Assert.Equal(LoopState.Healthy, Assert.Single(registry.Snapshot()).State);
        Assert.Null(registry.Succeeded("loop"));
    }

    [Fact]
    public void Snapshot_NoSuccessWithinTheStallLimit_IsStalled()
    {
        var registry = new LoopHealthRegistry(_time);
        registry.Register("periodic", TimeSpan.FromSeconds(30));
        registry.Register("queue", null);
        registry.Succeeded("periodic");
        registry.Succeeded("queue");

        _time.Advance(TimeSpan.FromSeconds(31));
        var states = registry.Snapshot().ToDictionary(h => h.Name, h => h.State);

        Assert.Equal(LoopState.Stalled, states["periodic"]);
        Assert.Equal(LoopState.Healthy, states["queue"]);
    }

    [Fact]
    public void Stopped_WithAnError_IsUnhealthyAndKeepsTheError()
    {
        var registry = new LoopHealthRegistry(_time);
        registry.Register("loop", null);

        registry.Stopped("loop", "InvalidOperationException: defect");

        var health = Assert.Single(registry.Snapshot());
        Assert.Equal(LoopState.Stopped, health.State);
        Assert.False(health.IsHealthy);
        Assert.Equal("InvalidOperationException: defect", health.LastError);
    }

    [Fact]
    public void Describe_WrappedException_NamesTheCauseToo()
    {
        var text = LoopHealthRegistry.Describe(new InvalidOperationException("outer", new IOException("No space left on device")));

        Assert.Equal("InvalidOperationException: outer (IOException: No space left on device)", text);
    }
}
