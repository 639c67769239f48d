using System.Globalization;

namespace Infera.Runtime.Processes;

/// <summary>Polls an instance's health path until it answers 200, the process exits, or a deadline passes.</summary>
public sealed class ReadinessProbe(HttpClient http, TimeProvider time)
{
    /// <summary>Poll period while waiting.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Waits until <c>GET http://127.0.0.1:{port}{healthPath}</c> answers 200 (each probe times out after 2 s).
    /// When the process exits first, the reason carries the exit code and the last lines it printed.
    /// </summary>
    public async Task<ReadinessResult> WaitReadyAsync(InstanceProcess instance, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var url = $"http://127.0.0.1:{instance.Spec.Port.ToString(CultureInfo.InvariantCulture)}{instance.Spec.HealthPath}";
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (instance.Exited.IsCompleted)
            {
                return new ReadinessResult(ReadinessOutcome.Exited, DescribeExit(instance, await instance.Exited));
            }

            if (await ProbeOnceAsync(url, cancellationToken))
            {
                return new ReadinessResult(ReadinessOutcome.Ready, "");
            }

            if (time.GetUtcNow() >= deadline)
            {
                return new ReadinessResult(ReadinessOutcome.TimedOut, $"instance did not answer {instance.Spec.HealthPath} within {timeout.TotalSeconds:0} s.");
            }

            try
            {
                await instance.Exited.WaitAsync(Period, time, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    /// <summary>One health request; true on 200.</summary>
    public async Task<bool> ProbeOnceAsync(string url, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var response = await http.GetAsync(url, cts.Token);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>"process exited with code N: &lt;last meaningful line&gt;" for events.</summary>
    public static string DescribeExit(InstanceProcess instance, int exitCode)
    {
        var tail = instance.Tail();
        var summary = tail.LastOrDefault(l => l.StartsWith("infera-worker:", StringComparison.Ordinal))
            ?? tail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))
            ?? "no output";
        return $"process exited with code {exitCode.ToString(CultureInfo.InvariantCulture)}: {summary.Trim()}";
    }
}
