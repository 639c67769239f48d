namespace Infera.Functional.Tests.Infrastructure;

/// <summary>The system clock plus an offset the test moves forward (token expiry without waiting a day).</summary>
public sealed class AdjustableTime : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
