using System.Diagnostics;
using System.Text.Json;
using Flywheel.Contracts.Registry;
using Flywheel.Registry;
using Flywheel.Storage;
using Flywheel.Training;
using Flywheel.Training.Evaluation;
using Flywheel.Training.Tracking;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Flywheel.Pipelines.Training;

/// <summary>
/// Refits the winning candidate on train and validation, scores it on the test rows, exports it to
/// ONNX and checks the export against ML.NET, measures permutation importance, and only when the
/// export answers as ML.NET does registers it with
/// its metrics, training record and lineage, and records the test metrics on the winner's run.
/// Seeded fits give the same bytes, and the registry is content-addressed, so a retry registers
/// the same version once.
/// </summary>
public sealed partial class FinishTraining(TrainingFrames frames, RunStore runs, ModelRegistry registry, StorageClients storage, ILogger<FinishTraining> logger)
    : TaskActivity<FinishWork, TrainedCandidate>
{
    public override async Task<TrainedCandidate> RunAsync(TaskActivityContext context, FinishWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (plan, winner) = (input.Plan, input.Winner);
        var local = await frames.LocalAsync(input.Data.Frames, CancellationToken.None).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var fitted = CandidateTrainer.Fit(plan, input.Data.Split.Classes, winner.Spec, local.Train, local.Validation);
        var test = CandidateTrainer.Score(plan, fitted, local.Test);
        var metrics = TrainingMetrics.Compute(test);
        var refitMs = clock.Elapsed.TotalMilliseconds;
        var onnx = CandidateExport.Export(plan, fitted, local.Test);
        var exportMs = clock.Elapsed.TotalMilliseconds - refitMs;
        using var scorer = new OnnxScorer(onnx, plan, fitted.Classes);
        var rows = FeatureColumns.Read(fitted.Context, plan, local.Test);
        var parity = CandidateExport.Parity(plan, test, scorer, rows);
        var parityMs = clock.Elapsed.TotalMilliseconds - refitMs - exportMs;
        var importance = PermutationImportance.Compute(scorer, rows, test.Truth, plan.Metric, plan.Request.Seed);

        LogFinished(logger, input.PipelineId, refitMs, exportMs, parityMs, clock.Elapsed.TotalMilliseconds - refitMs - exportMs - parityMs);

        var evaluation = $"training/{input.PipelineId}/evaluation.json";
        if (!parity.Passed)
        {
            // Registered, a version that answers otherwise than it was measured would serve (latest, an alias); so nothing is, and the orchestration fails the run.
            return new TrainedCandidate(winner.RunId, TrainedCandidate.Unregistered, string.Empty, metrics, importance, parity, evaluation);
        }

        var reports = await storage.ContainerAsync(StorageNames.ReportsContainer, CancellationToken.None).ConfigureAwait(false);
        await reports.GetBlobClient(evaluation).UploadAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(TrainingEvaluation.From(test, importance), Json.Options)),
            overwrite: true, CancellationToken.None).ConfigureAwait(false);

        var request = plan.Request;
        var (version, _) = await registry.RegisterAsync(request.Model, onnx, new ModelRegistration
        {
            Description = $"Trained by pipeline {input.PipelineId}: {winner.Spec.Trainer} on {request.Dataset} v{plan.DatasetVersion}, label '{request.Label}'.",
            Metrics = metrics,
            RunId = winner.RunId,
            Dataset = new DatasetReference(request.Dataset, plan.DatasetVersion),
            Tags = new Dictionary<string, string>
            {
                ["pipeline"] = input.PipelineId,
                ["trainer"] = winner.Spec.Trainer,
                ["task"] = plan.Task.ToString().ToLowerInvariant(),
                ["label"] = request.Label,
            },
            Training = new TrainingRecord(input.PipelineId, plan.Task.ToString().ToLowerInvariant(), winner.Spec.Trainer, winner.Spec.Parameters, request.Seed, plan.Metric,
                [.. plan.Features.Select(f => f.Name)], importance, $"api/pipelines/{input.PipelineId}/report.html", input.Data.Split.Blob, request.Label),
        }, $"pipeline {input.PipelineId}", CancellationToken.None).ConfigureAwait(false);

        if (await runs.GetAsync(request.Model, winner.RunId, CancellationToken.None).ConfigureAwait(false) is { } run)
        {
            var tracked = new Dictionary<string, double>(run.Metrics, StringComparer.Ordinal);
            foreach (var (name, value) in metrics)
            {
                tracked[$"test_{name}"] = value;
            }

            await runs.SaveAsync(run with { Metrics = tracked, ModelVersion = version.Version }, CancellationToken.None).ConfigureAwait(false);
        }

        return new TrainedCandidate(winner.RunId, version.Version, version.Sha256, metrics, importance, parity, evaluation);
    }

    [LoggerMessage(EventId = 721, Level = LogLevel.Information,
        Message = "Training {PipelineId}: winner refitted and scored in {RefitMs:F0} ms, exported in {ExportMs:F0} ms, parity checked in {ParityMs:F0} ms, importance in {ImportanceMs:F0} ms")]
    private static partial void LogFinished(ILogger logger, string pipelineId, double refitMs, double exportMs, double parityMs, double importanceMs);
}
