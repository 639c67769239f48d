using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Infera.Benchmarks.Load;

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> loops, each sending the next request as soon as the previous one
/// answered, until the request budget or the time bound runs out. Every answer must be 200 with exactly the expected
/// bytes; anything else counts as an error. Latency is measured from just before <c>SendAsync</c> until the body has
/// been read.
/// </summary>
internal sealed class LoadRunner(HttpClient client, byte[] requestBody, byte[] expectedResponse)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>Sends one request and returns the status and body (for the pre-flight checks).</summary>
    public async Task<(HttpStatusCode Status, byte[] Body)> SendOnceAsync(LoadTarget target, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(target);
        using var response = await client.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    /// <summary>Runs <paramref name="concurrency"/> loops against <paramref name="target"/> for at most <paramref name="maxRequests"/> requests and <paramref name="duration"/>.</summary>
    public async Task<RunResult> RunAsync(LoadTarget target, int concurrency, long maxRequests, TimeSpan duration, CancellationToken cancellationToken)
    {
        var issued = 0L;
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = new Task<LoopResult>[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            loops[i] = Task.Run(() => LoopAsync(target, deadline, () => Interlocked.Increment(ref issued) <= maxRequests, cancellationToken), cancellationToken);
        }

        var results = await Task.WhenAll(loops);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var latencies = results.SelectMany(r => r.LatenciesMs).ToArray();
        Array.Sort(latencies);
        var errors = results.Sum(r => r.Errors);
        return new RunResult(target.Name, latencies.Length + errors, errors, elapsed, latencies,
            results.Select(r => r.FirstError).FirstOrDefault(e => e is not null))
        {
            ProcessCpu = cpu,
        };
    }

    private async Task<LoopResult> LoopAsync(LoadTarget target, long deadline, Func<bool> takeTicket, CancellationToken cancellationToken)
    {
        var latencies = new List<double>(4096);
        var errors = 0L;
        string? firstError = null;
        while (Stopwatch.GetTimestamp() < deadline && takeTicket())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            string? error;
            try
            {
                using var request = CreateRequest(target);
                using var response = await client.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                error = response.StatusCode != HttpStatusCode.OK
                    ? $"status {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}"
                    : body.AsSpan().SequenceEqual(expectedResponse) ? null : $"unexpected body: {System.Text.Encoding.UTF8.GetString(body)}";
            }
            catch (HttpRequestException e)
            {
                error = $"{e.GetType().Name}: {e.Message}";
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"timeout: {e.Message}";
            }

            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (error is null)
            {
                latencies.Add(ms);
            }
            else
            {
                errors++;
                firstError ??= error;
            }
        }

        return new LoopResult(latencies, errors, firstError);
    }

    private HttpRequestMessage CreateRequest(LoadTarget target)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, target.Uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(requestBody) { Headers = { ContentType = Json } },
        };
        if (target.Token is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Auth-Token", target.Token);
        }

        return request;
    }

    private sealed record LoopResult(List<double> LatenciesMs, long Errors, string? FirstError);
}
