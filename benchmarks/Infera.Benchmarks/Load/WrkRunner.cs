using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Infera.Benchmarks.Load;

/// <summary>A second opinion from <c>wrk</c> (when installed): same body, same token header, same connection count.</summary>
internal static partial class WrkRunner
{
    /// <summary>What wrk reported for one target.</summary>
    public sealed record WrkResult(string Target, double RequestsPerSecond, long Requests, long Non2xx, long SocketErrors,
        double P50Ms, double P90Ms, double P99Ms, string RawOutput)
    {
        /// <summary>The 95th percentile latency in ms (printed by the script's <c>done</c> hook), NaN when absent.</summary>
        public double P95Ms { get; init; } = double.NaN;

        /// <summary>Whether every request got a 2xx answer and no socket failed.</summary>
        public bool Clean => Requests > 0 && Non2xx == 0 && SocketErrors == 0;
    }

    /// <summary>One request shape for wrk: POST the bytes of <paramref name="BodyPath"/> with these headers.</summary>
    /// <param name="Name">The target's name in reports.</param>
    /// <param name="Uri">Where to send it.</param>
    /// <param name="BodyPath">A file holding the exact body (binary bodies allowed).</param>
    /// <param name="Headers">Headers to add (Content-Type, credentials, protocol headers).</param>
    public sealed record WrkRequest(string Name, Uri Uri, string BodyPath, IReadOnlyDictionary<string, string> Headers);

    /// <summary>The wrk executable on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "wrk");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs wrk against <paramref name="target"/> with <paramref name="connections"/> connections for <paramref name="duration"/>.</summary>
    public static async Task<WrkResult> RunAsync(string wrk, LoadTarget target, byte[] body, int connections, TimeSpan duration, string workDirectory,
        CancellationToken cancellationToken)
    {
        var bodyPath = Path.Combine(workDirectory, $"wrk-{target.Name}.body");
        await File.WriteAllBytesAsync(bodyPath, body, cancellationToken);
        var headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" };
        if (target.Token is not null)
        {
            headers["X-Auth-Token"] = target.Token;
        }

        return await RunAsync(wrk, new WrkRequest(target.Name, target.Uri, bodyPath, headers), connections, duration, workDirectory, cancellationToken);
    }

    /// <summary>Runs wrk with <paramref name="connections"/> connections (at most 2 threads) for <paramref name="duration"/>.</summary>
    public static async Task<WrkResult> RunAsync(string wrk, WrkRequest request, int connections, TimeSpan duration, string workDirectory,
        CancellationToken cancellationToken)
    {
        var target = request;
        var script = Path.Combine(workDirectory, $"wrk-{request.Name}.lua");
        var lua = new StringBuilder()
            .AppendLine("wrk.method = \"POST\"")
            .Append("local file = io.open(\"").Append(request.BodyPath).AppendLine("\", \"rb\")")
            .AppendLine("wrk.body = file:read(\"*a\")")
            .AppendLine("file:close()");
        foreach (var (name, value) in request.Headers)
        {
            lua.Append("wrk.headers[\"").Append(name).Append("\"] = \"").Append(value).AppendLine("\"");
        }

        lua.AppendLine("done = function(summary, latency, requests)")
            .AppendLine("  io.write(string.format(\"P95_US %d\\n\", latency:percentile(95)))")
            .AppendLine("end");
        await File.WriteAllTextAsync(script, lua.ToString(), cancellationToken);

        var info = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "-t", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{Math.Max(1, (int)Math.Round(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture)}s",
            "--latency", "-s", script, target.Uri.ToString(),
        })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {wrk}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(duration + TimeSpan.FromSeconds(30), cancellationToken);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var output = await stdout + await stderr;
        var p95 = P95().Match(output);
        return new WrkResult(
            target.Name,
            Number(RequestsPerSecond().Match(output)),
            (long)Number(RequestsTotal().Match(output)),
            (long)Number(Non2xx().Match(output)),
            SocketErrors(output),
            LatencyMs(output, "50%"),
            LatencyMs(output, "90%"),
            LatencyMs(output, "99%"),
            output)
        {
            P95Ms = p95.Success ? double.Parse(p95.Groups[1].Value, CultureInfo.InvariantCulture) / 1000 : double.NaN,
        };
    }

    private static double Number(Match match) =>
        match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    private static long SocketErrors(string output)
    {
        var match = SocketErrorLine().Match(output);
        return match.Success ? match.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
    }

    private static double LatencyMs(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            return double.NaN;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    [GeneratedRegex(@"P95_US (\d+)")]
    private static partial Regex P95();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsTotal();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorLine();
}
