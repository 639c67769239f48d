using Spectre.Console;

namespace Infera.Cli.Infrastructure;

/// <summary>
/// Polls a resource until it reaches a final state, showing a spinner with the current status when stderr is a
/// terminal and one line per status change otherwise.
/// </summary>
internal static class Waiter
{
    /// <summary>Polls until <paramref name="isFinal"/> holds.</summary>
    /// <typeparam name="T">The polled resource.</typeparam>
    /// <param name="session">The command session.</param>
    /// <param name="title">What is awaited, e.g. <c>model digits 1.0.0</c>.</param>
    /// <param name="timeout">Give up after this long (<see cref="ExitCodes.WaitFailed"/>).</param>
    /// <param name="poll">Reads the resource.</param>
    /// <param name="status">The status text of the resource.</param>
    /// <param name="isFinal">Whether the resource will not change any more on its own.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The resource in its final state.</returns>
    public static async Task<T> WaitAsync<T>(
        CliSession session,
        string title,
        TimeSpan timeout,
        Func<CancellationToken, Task<T>> poll,
        Func<T, string> status,
        Func<T, bool> isFinal,
        CancellationToken cancellationToken)
    {
        var context = session.Context;
        var time = context.Options.TimeProvider;
        var started = time.GetTimestamp();

        async Task<T> Loop(Action<string> show)
        {
            while (true)
            {
                var current = await poll(cancellationToken);
                var text = status(current);
                show(text);
                if (isFinal(current))
                {
                    return current;
                }

                var elapsed = time.GetElapsedTime(started);
                if (elapsed >= timeout)
                {
                    throw new CliException(ExitCodes.WaitFailed, $"gave up waiting for {title} after {timeout.TotalSeconds:0}s; it is still {text}");
                }

                await Task.Delay(context.Options.PollInterval, time, cancellationToken);
            }
        }

        if (context.Options.StderrIsTerminal)
        {
            return await context.Err.Status()
                .Spinner(Spinner.Known.Dots)
                .StartAsync(Markup.Escape(title), ctx => Loop(text => ctx.Status(Markup.Escape($"{title}: {text}"))));
        }

        string? last = null;
        return await Loop(text =>
        {
            if (text != last)
            {
                context.Info($"{title}: {text}");
                last = text;
            }
        });
    }
}
