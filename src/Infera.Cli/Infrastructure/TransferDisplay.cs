using Infera.Client.Obs;
using Spectre.Console;

namespace Infera.Cli.Infrastructure;

/// <summary>Shows a progress bar for folder copies when a person is watching (stdout and stderr are terminals); silent otherwise.</summary>
internal static class TransferDisplay
{
    /// <summary>Runs a transfer, with a progress bar on stderr when interactive.</summary>
    /// <typeparam name="T">The transfer's result.</typeparam>
    /// <param name="session">The command session.</param>
    /// <param name="title">e.g. <c>uploading</c>.</param>
    /// <param name="transfer">The transfer, given the progress sink to report to (or <see langword="null"/>).</param>
    /// <returns>The transfer's result.</returns>
    public static async Task<T> RunAsync<T>(CliSession session, string title, Func<IProgress<ObsTransferProgress>?, Task<T>> transfer)
    {
        var options = session.Context.Options;
        if (!options.StdoutIsTerminal || !options.StderrIsTerminal || session.IsJson)
        {
            return await transfer(null);
        }

        return await session.Context.Err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), autoStart: true, maxValue: 1);
                var result = await transfer(new InlineProgress(report =>
                {
                    task.MaxValue = Math.Max(1, report.BytesTotal);
                    task.Value = report.BytesDone;
                    task.Description = Markup.Escape($"{title} {report.FilesDone}/{report.FilesTotal}");
                }));
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>Reports synchronously on the calling thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
    private sealed class InlineProgress(Action<ObsTransferProgress> report) : IProgress<ObsTransferProgress>
    {
        public void Report(ObsTransferProgress value) => report(value);
    }
}
