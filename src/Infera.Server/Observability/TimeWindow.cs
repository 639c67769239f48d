using System.Globalization;
using Infera.Core.Errors;

namespace Infera.Server.Observability;

/// <summary>
/// The time range of a log or metrics query (MISSION R-S12 "last 5/30/60 minutes or a custom range"): either
/// <c>last</c> (<c>5m</c>, <c>30m</c>, <c>60m</c>, <c>1h</c>, any <c>{n}m</c>, <c>{n}h</c> or <c>{n}d</c> up to 7 days)
/// counted back from now, or <c>start_time</c> and/or <c>end_time</c> in ms since the epoch (inclusive). With neither,
/// the default span back from now applies.
/// </summary>
public static class TimeWindow
{
    /// <summary>The longest span <c>last</c> accepts.</summary>
    public static readonly TimeSpan MaxLast = TimeSpan.FromDays(7);

    /// <summary>Resolves the range to (from, to) in ms.</summary>
    /// <exception cref="InferaException">400 ModelArts.3037 for a malformed <c>last</c>, <c>last</c> together with
    /// <c>start_time</c>/<c>end_time</c>, or <c>start_time</c> after <c>end_time</c>.</exception>
    public static (long From, long To) Resolve(string? last, long? startTime, long? endTime, DateTimeOffset now, TimeSpan defaultSpan)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        if (!string.IsNullOrEmpty(last))
        {
            if (startTime is not null || endTime is not null)
            {
                throw Errors.InvalidParameter("last", last, "give either last or start_time/end_time, not both.");
            }

            return (nowMs - (long)ParseSpan(last).TotalMilliseconds, nowMs);
        }

        var to = endTime ?? nowMs;
        var from = startTime ?? to - (long)defaultSpan.TotalMilliseconds;
        if (from > to)
        {
            throw Errors.InvalidParameter("start_time", startTime?.ToString(CultureInfo.InvariantCulture), "start_time must not be after end_time.");
        }

        return (from, to);
    }

    /// <summary>Parses <c>{n}m</c>, <c>{n}h</c> or <c>{n}d</c> (n ≥ 1, at most 7 days).</summary>
    /// <exception cref="InferaException">400 ModelArts.3037 when malformed or too long.</exception>
    public static TimeSpan ParseSpan(string text)
    {
        var unit = text.Length > 1 ? char.ToLowerInvariant(text[^1]) : ' ';
        if (!int.TryParse(text.AsSpan(0, Math.Max(0, text.Length - 1)), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1
            || unit is not ('m' or 'h' or 'd'))
        {
            throw Errors.InvalidParameter("last", text, "use minutes, hours or days such as 5m, 30m, 60m, 1h or 2d.");
        }

        var span = unit switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
        return span <= MaxLast ? span : throw Errors.InvalidParameter("last", text, "at most 7 days (logs and metrics are kept 7 days).");
    }
}
