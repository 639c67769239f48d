namespace Infera.Server.Hosting.Background;

/// <summary>Back-off of failing background loops (<see cref="LoopRetryPolicy"/>).</summary>
public sealed class BackgroundLoopOptions
{
    /// <summary>Wait before the first retry of a failed tick. Default 1 s.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two retries (the exponential back-off stops growing here). Default 30 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Randomise each wait (decorrelated jitter) so loops that failed together do not retry in lockstep. Default true.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>The errors of these options, each naming its key; empty when valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (FirstRetryDelay <= TimeSpan.Zero)
        {
            yield return $"BackgroundLoops:FirstRetryDelay must be positive, not {FirstRetryDelay}.";
        }

        if (MaxRetryDelay < FirstRetryDelay)
        {
            yield return $"BackgroundLoops:MaxRetryDelay ({MaxRetryDelay}) must be at least FirstRetryDelay ({FirstRetryDelay}).";
        }
    }
}
