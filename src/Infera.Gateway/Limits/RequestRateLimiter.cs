namespace Infera.Gateway.Limits;

/// <summary>
/// Requests per second for one service (R-S7): a fixed window per wall-clock second, so within each second at
/// most the limit is admitted, exactly, however many threads call at once. The window and its count live in one
/// 64-bit word changed by compare-and-swap: no lock on the hot path, no over-admission under contention.
/// One instance per service for the life of the gateway process; the limit is passed per call so that a changed
/// limit takes effect at once without resetting the count.
/// </summary>
public sealed class RequestRateLimiter(TimeProvider time)
{
    // High 32 bits: the window (Unix second, truncated); low 32 bits: calls admitted in it.
    private long _state;

    /// <summary>
    /// Admits one call when fewer than <paramref name="limit"/> were admitted in the current second. When refused,
    /// <paramref name="retryAfter"/> is the time until the next second starts (for <c>Retry-After</c>).
    /// </summary>
    public bool TryAcquire(int limit, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var window = now / 1000;
        while (true)
        {
            var state = Volatile.Read(ref _state);
            var stateWindow = state >> 32;
            var count = (int)(state & 0xFFFF_FFFF);
            long next;
            if (stateWindow != (window & 0x7FFF_FFFF))
            {
                next = ((window & 0x7FFF_FFFF) << 32) | 1;
            }
            else if (count >= limit)
            {
                retryAfter = TimeSpan.FromMilliseconds(((window + 1) * 1000) - now);
                return false;
            }
            else
            {
                next = state + 1;
            }

            if (Interlocked.CompareExchange(ref _state, next, state) == state)
            {
                retryAfter = TimeSpan.Zero;
                return true;
            }
        }
    }
}
