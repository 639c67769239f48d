using System.Globalization;

namespace Infera.Cli.Infrastructure;

/// <summary>Parses the short durations of options such as <c>--since 30m</c>: <c>{n}s</c>, <c>{n}m</c>, <c>{n}h</c>, <c>{n}d</c>.</summary>
internal static class Durations
{
    /// <summary>The duration; a usage error naming <paramref name="option"/> when malformed.</summary>
    /// <exception cref="CliException">Exit code 2 for a malformed value.</exception>
    public static TimeSpan Parse(string text, string option)
    {
        var unit = text.Length > 1 ? char.ToLowerInvariant(text[^1]) : ' ';
        if (!int.TryParse(text.AsSpan(0, Math.Max(0, text.Length - 1)), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            unit = ' ';
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => throw new CliException(ExitCodes.UsageError, $"{option} {text}: use a number and a unit, e.g. 30m, 2h or 7d"),
        };
    }
}
