using System.CommandLine;
using Flywheel.Cli.Output;
using Flywheel.Cli.Pipelines;
using Flywheel.Contracts;
using Flywheel.Contracts.Pipelines;
using Flywheel.Contracts.Training;
using Spectre.Console.Rendering;

namespace Flywheel.Cli.Training;

/// <summary><c>flywheel train</c>: start a training pipeline and, unless told not to, follow it live to its end.</summary>
internal static class TrainCommand
{
    public static Command Create(CommandBuilder build)
    {
        var model = new Option<string>("--model", "-m") { Description = "The model to register the winner as", Required = true };
        var dataset = new Option<string>("--dataset", "-d") { Description = "The dataset to train on", Required = true };
        var datasetVersion = new Option<string?>("--dataset-version") { Description = "A dataset version number [default: latest]" };
        var label = new Option<string>("--label", "-l") { Description = "The column to predict", Required = true };
        var trials = new Option<int?>("--trials") { Description = "How many candidates to fit [default: 12]" };
        var promotion = new Option<string?>("--promotion") { Description = "What happens to the winner: if-better (default), manual (waits for pipelines approve) or never" };
        promotion.AcceptOnlyFromAmong(Enum.GetValues<PromotionPolicy>().Select(p => WireNames.Of(p)).ToArray());
        var features = new Option<string[]>("--feature") { Description = "A feature column (repeat it) [default: every column but the label]" };
        var seed = new Option<int?>("--seed") { Description = "The search's seed [default: 42]" };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the pipeline id and return at once" };

        return build.Leaf("train",
            "Train candidates on a dataset, register the best and gate it against the champion; live progress on a terminal, Ctrl-C detaches (the training goes on); exits 4 when the winner was not promoted",
            "flywheel train --model churn --dataset churn --label churned --trials 8 --promotion manual",
            async (s, ct) =>
            {
                var request = new TrainingRequest
                {
                    Model = s.Value(model),
                    Dataset = s.Value(dataset),
                    Label = s.Value(label),
                    DatasetVersion = s.Value(datasetVersion) is { } v ? VersionReference.Parse(v, aliases: false) : VersionReference.Latest,
                    Promotion = s.Value(promotion) is { } p ? WireNames.Parse<PromotionPolicy>(p) : PromotionPolicy.IfBetter,
                    Features = s.Value(features) is { Length: > 0 } f ? f : null,
                };

                // Only what was given overrides the request's defaults, which stay the API's to choose.
                request = s.Value(trials) is { } n ? request with { Trials = n } : request;
                request = s.Value(seed) is { } seedValue ? request with { Seed = seedValue } : request;
                var operation = await s.Client.Training.StartAsync(request, ct);
                if (s.Value(noWait))
                {
                    s.Output.Write(operation.Started!, StartedTable);
                    s.Output.Note($"Started {operation.Id}. Follow it with 'flywheel pipelines watch {operation.Id}'.");
                    return ExitCodes.Ok;
                }

                return await PipelineWatcher.WatchAsync(s, operation, ct);
            }, model, dataset, datasetVersion, label, trials, promotion, features, seed, noWait);
    }

    internal static IRenderable StartedTable(PipelineStarted started) => OutputWriter.Fields(
        ("pipeline", started.Id), ("status", started.StatusQueryGetUri), ("features", started.Plan?.Features.Select(f => f.Name)));
}
