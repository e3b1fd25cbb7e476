using System.CommandLine;
using Flywheel.Cli.Output;
using Flywheel.Cli.Pipelines;
using Flywheel.Cli.Training;
using Flywheel.Contracts;
using Flywheel.Contracts.Pipelines;

namespace Flywheel.Cli.Serving;

/// <summary><c>flywheel batch</c>: score every row of a dataset version offline, optionally wait and download the output.</summary>
internal static class BatchCommand
{
    public static Command Create(CommandBuilder build)
    {
        var model = new Argument<string>("model") { Description = "The model to score with" };
        var dataset = new Option<string>("--dataset", "-d") { Description = "The dataset whose rows to score", Required = true };
        var datasetVersion = new Option<string?>("--dataset-version") { Description = "A dataset version number [default: latest]" };
        var version = new Option<string?>("--version", "-v") { Description = "A model version, latest or an alias [default: champion, else latest]" };
        var format = new Option<string>("--format") { Description = "csv or jsonl", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var wait = new Option<bool>("--wait") { Description = "Wait for the run to end (implied by --out)" };
        var output = new Option<FileInfo?>("--out") { Description = "Download the predictions to this file when the run completes" };

        return build.Leaf("batch", "Score a dataset version offline as a pipeline; with --out, wait and download the predictions",
            "flywheel batch churn --dataset churn-2026-11 --out predictions.csv",
            async (s, ct) =>
            {
                var request = new BatchScoringRequest
                {
                    Dataset = s.Value(dataset),
                    DatasetVersion = s.Value(datasetVersion) is { } dv ? VersionReference.Parse(dv, aliases: false) : VersionReference.Latest,
                    ModelVersion = s.Value(version) is { } mv ? VersionReference.Parse(mv) : null,
                    Output = WireNames.Parse<BatchOutputFormat>(s.Value(format)),
                };
                var operation = await s.Client.Training.StartBatchScoringAsync(s.Value(model), request, ct);
                var file = s.Value(output);
                if (!s.Value(wait) && file is null)
                {
                    s.Output.Write(operation.Started!, TrainCommand.StartedTable);
                    s.Output.Note($"Started {operation.Id}. Follow it with 'flywheel pipelines watch {operation.Id}'.");
                    return ExitCodes.Ok;
                }

                var code = await PipelineWatcher.WatchAsync(s, operation, ct);

                // Ctrl-C detached from a run that goes on: there is nothing to download yet.
                if (code != ExitCodes.Ok || file is null || s.Interrupt.IsCancellationRequested)
                {
                    return code;
                }

                await Transfer.ToFileAsync(s, file, $"Downloading {file.Name}", null, (stream, progress) => s.Client.Pipelines.DownloadOutputAsync(operation.Id, stream, progress, ct));

                await s.Error.WriteLineAsync($"Wrote {file.FullName}.");
                return ExitCodes.Ok;
            }, model, dataset, datasetVersion, version, format, wait, output);
    }
}
