using System.Globalization;

namespace Infera.Benchmarks;

/// <summary>Command-line settings of the gateway-overhead benchmark.</summary>
internal sealed record BenchmarkOptions
{
    /// <summary>Most requests per measured run. Default 20,000 (<c>--requests</c>).</summary>
    public int Requests { get; init; } = 20_000;

    /// <summary>Requests in flight at once, one keep-alive connection each. Default 8 (<c>--concurrency</c>).</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Longest measured run; whichever of this and <see cref="Requests"/> comes first ends it. Default 15 s (<c>--duration-seconds</c>).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Unrecorded load sent to each target before measuring. Default 3 s (<c>--warmup-seconds</c>).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Rounds of (direct, gateway); the order flips every round (ABBA) to cancel drift. Default 2 (<c>--rounds</c>).</summary>
    public int Rounds { get; init; } = 2;

    /// <summary>Length of each <c>wrk</c> run when wrk is installed. Default 10 s (<c>--wrk-seconds</c>); 0 skips wrk (also <c>--no-wrk</c>).</summary>
    public TimeSpan WrkDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for the model import and the service deploy. Default 180 s (<c>--setup-timeout-seconds</c>).</summary>
    public TimeSpan SetupTimeout { get; init; } = TimeSpan.FromSeconds(180);

    public const string Usage =
        """
        Infera gateway overhead benchmark: the sklearn Iris sample, called directly on its Python worker and
        through the Infera gateway, with the same client, body and concurrency.

        Options:
          --requests N               most requests per measured run (default 20000)
          --concurrency C            requests in flight, one connection each (default 8)
          --duration-seconds S       longest measured run (default 15)
          --warmup-seconds S         unrecorded warm-up per target (default 3)
          --rounds R                 rounds of direct+gateway, order alternating (default 2)
          --wrk-seconds S            length of each wrk run, 0 = skip (default 10)
          --no-wrk                   skip wrk
          --setup-timeout-seconds S  longest wait for import and deploy (default 180)
          -h, --help                 this text
        """;

    /// <summary>Parses <paramref name="args"/>; returns null and the errors (all of them) when something is wrong.</summary>
    public static (BenchmarkOptions? Options, IReadOnlyList<string> Errors, bool Help) Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        var errors = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return (null, [], true);
            }

            if (name == "--no-wrk")
            {
                options = options with { WrkDuration = TimeSpan.Zero };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                errors.Add($"{name}: missing value.");
                break;
            }

            var value = args[++i];
            switch (name)
            {
                case "--requests":
                    options = options with { Requests = ParseInt(name, value, 1, errors) };
                    break;
                case "--concurrency":
                    options = options with { Concurrency = ParseInt(name, value, 1, errors) };
                    break;
                case "--rounds":
                    options = options with { Rounds = ParseInt(name, value, 1, errors) };
                    break;
                case "--duration-seconds":
                    options = options with { Duration = ParseSeconds(name, value, 0.1, errors) };
                    break;
                case "--warmup-seconds":
                    options = options with { Warmup = ParseSeconds(name, value, 0, errors) };
                    break;
                case "--wrk-seconds":
                    options = options with { WrkDuration = ParseSeconds(name, value, 0, errors) };
                    break;
                case "--setup-timeout-seconds":
                    options = options with { SetupTimeout = ParseSeconds(name, value, 1, errors) };
                    break;
                default:
                    errors.Add($"{name}: unknown option.");
                    break;
            }
        }

        return errors.Count == 0 ? (options, errors, false) : (null, errors, false);
    }

    private static int ParseInt(string name, string value, int min, List<string> errors)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min)
        {
            return n;
        }

        errors.Add($"{name}: '{value}' is not a whole number >= {min}.");
        return min;
    }

    private static TimeSpan ParseSeconds(string name, string value, double min, List<string> errors)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= min && s <= 3600)
        {
            return TimeSpan.FromSeconds(s);
        }

        errors.Add($"{name}: '{value}' is not a number of seconds between {min} and 3600.");
        return TimeSpan.FromSeconds(min);
    }
}
