namespace Infera.Functional.Tests.Infrastructure;

/// <summary>
/// A wall clock that stands still until the test moves it, while timers and timestamps stay real (the base
/// <see cref="TimeProvider"/> timers do not consult <see cref="GetUtcNow"/>): rate-limit windows become exact and
/// independent of machine load.
/// </summary>
public sealed class FrozenWallClock : TimeProvider
{
    private long _ticks = DateTimeOffset.UtcNow.Ticks - (DateTimeOffset.UtcNow.Ticks % TimeSpan.TicksPerSecond) + TimeSpan.TicksPerMillisecond * 100;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
