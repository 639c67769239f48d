using Infera.Client.Obs;

namespace Infera.Cli.Infrastructure;

/// <summary>Parsing of argument values that System.CommandLine leaves as strings, with usage errors people can act on.</summary>
internal static class Arguments
{
    /// <summary>Parses <c>obs://bucket/key</c> or <c>s3://bucket/key</c>.</summary>
    /// <param name="text">The argument.</param>
    /// <returns>The location.</returns>
    /// <exception cref="CliException">Not a valid location (<see cref="ExitCodes.UsageError"/>).</exception>
    public static ObsUri ObsUri(string text) =>
        Client.Obs.ObsUri.TryParse(text, out var uri)
            ? uri
            : throw CliException.Usage($"'{text}' is not an object-store location; expected obs://<bucket>/<key> or s3://<bucket>/<key>");

    /// <summary>Parses repeated <c>KEY=VALUE</c> pairs (<c>--env</c>, <c>--file</c>).</summary>
    /// <param name="option">The option name, for messages.</param>
    /// <param name="values">The values.</param>
    /// <returns>The pairs in order.</returns>
    public static List<KeyValuePair<string, string>> Pairs(string option, IEnumerable<string>? values)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var value in values ?? [])
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw CliException.Usage($"{option} expects KEY=VALUE, not '{value}'");
            }

            pairs.Add(new(value[..equals], value[(equals + 1)..]));
        }

        return pairs;
    }

    /// <summary>Converts a <c>--timeout</c> value in seconds.</summary>
    /// <param name="seconds">The value.</param>
    /// <returns>The duration.</returns>
    public static TimeSpan Timeout(int seconds) =>
        seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw CliException.Usage("--timeout must be a positive number of seconds");
}
