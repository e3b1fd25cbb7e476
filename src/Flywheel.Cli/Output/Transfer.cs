using Flywheel.Client;
using Spectre.Console;

namespace Flywheel.Cli.Output;

/// <summary>An upload or download with a progress bar on a terminal, and nothing drawn otherwise.</summary>
internal static class Transfer
{
    public static async Task<T> RunAsync<T>(CliSession session, string description, long? totalBytes, Func<IProgress<TransferProgress>?, Task<T>> transfer)
    {
        if (!session.ShowsProgress)
        {
            return await transfer(null).ConfigureAwait(false);
        }

        return await session.Output.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, totalBytes ?? 1));
                var result = await transfer(new Progress(task)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            }).ConfigureAwait(false);
    }

    public static Task RunAsync(CliSession session, string description, long? totalBytes, Func<IProgress<TransferProgress>?, Task> transfer) =>
        RunAsync(session, description, totalBytes, async progress =>
        {
            await transfer(progress).ConfigureAwait(false);
            return true;
        });

    /// <summary>
    /// Downloads into <paramref name="file"/> through a partial file beside it, moved into place only when the download
    /// completed: a failed or interrupted download never truncates or half-writes a file that was there.
    /// </summary>
    public static async Task ToFileAsync(CliSession session, FileInfo file, string description, long? totalBytes, Func<Stream, IProgress<TransferProgress>?, Task> download)
    {
        var partial = file.FullName + ".partial";
        try
        {
            var stream = File.Create(partial);
            await using (stream.ConfigureAwait(false))
            {
                await RunAsync(session, description, totalBytes, progress => download(stream, progress)).ConfigureAwait(false);
            }

            File.Move(partial, file.FullName, overwrite: true);
        }
        finally
        {
            // Left only when the download failed or was interrupted.
            File.Delete(partial);
        }
    }

    /// <summary>Reports synchronously: <see cref="Progress{T}"/> would post to a thread pool and draw after the bar has finished.</summary>
    private sealed class Progress(ProgressTask task) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            if (value.Total is { } total && total > 0)
            {
                task.MaxValue = total;
            }

            task.Value = value.Bytes;
        }
    }
}
