using Flywheel.Contracts;
using Flywheel.Contracts.Training;
using Flywheel.Storage;
using Flywheel.Training;
using Flywheel.Training.Search;
using Flywheel.Training.Tracking;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Flywheel.Pipelines.Training;

/// <summary>
/// Fits one candidate on the train rows and scores it on the validation rows, tracking it as a run
/// (with the rounds it chose, when its trainer stops early on those rows).
/// A trainer that throws fails this trial (a FAILED run with the error), not the pipeline; only a
/// storage failure fails the activity, so Durable retries it. The run id is the pipeline's and the
/// trial's, so a retry rewrites the same run.
/// </summary>
public sealed partial class TrainTrial(TrainingFrames frames, RunStore runs, TimeProvider time, ILogger<TrainTrial> logger) : TaskActivity<TrialWork, TrialOutcome>
{
    private const int MaxErrorLength = 4_000;

    public override async Task<TrialOutcome> RunAsync(TaskActivityContext context, TrialWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (plan, trial) = (input.Plan, input.Trial);
        var runId = RunRecord.IdFor(input.PipelineId, trial.Trial);
        var started = time.GetUtcNow();
        var run = new RunRecord(runId, input.PipelineId, plan.Request.Model, trial.Trial, trial.Rung, trial.Spec.Trainer, trial.Spec.Parameters,
            new Dictionary<string, double>(), RunStatus.Running, plan.Request.Dataset, plan.DatasetVersion, plan.Sha256, plan.Request.Seed, started, null, null,
            SkippedFeatures: plan.SkippedFeatures);
        await runs.SaveAsync(run, CancellationToken.None).ConfigureAwait(false);
        var local = await frames.LocalAsync(input.Data.Frames, CancellationToken.None).ConfigureAwait(false);
        TrialOutcome outcome;
        try
        {
            var fitted = CandidateTrainer.FitTrial(plan, input.Data.Split.Classes, trial.Spec, local.Train, local.Validation);
            var metrics = CandidateTrainer.Evaluate(plan, fitted, local.Validation);
            // The fitted spec, not the planned one: an early-stopped trial's rounds are the ones it chose, which the refit reuses.
            outcome = new TrialOutcome(trial.Trial, trial.Rung, runId, fitted.Spec, RunStatus.Finished, metrics, fitted.FitTime.TotalMilliseconds, null);
        }
        catch (Exception ex) when (!StorageFailures.IsTransient(ex))
        {
            var error = $"{ex.GetType().Name}: {ex.Message}";
            outcome = new TrialOutcome(trial.Trial, trial.Rung, runId, trial.Spec, RunStatus.Failed, new Dictionary<string, double>(), 0,
                error.Length > MaxErrorLength ? error[..MaxErrorLength] : error);
        }

        var ended = time.GetUtcNow();
        await runs.SaveAsync(run with
        {
            Params = outcome.Spec.Parameters, Status = outcome.Status, Metrics = outcome.Metrics, EndTime = ended, DurationMs = (ended - started).TotalMilliseconds, Error = outcome.Error,
            FitMs = outcome.Status == RunStatus.Finished ? outcome.FitMs : null,
        }, CancellationToken.None).ConfigureAwait(false);
        LogTrained(logger, input.PipelineId, trial.Trial, trial.Spec.Trainer, WireNames.Of(outcome.Status), outcome.FitMs);
        return outcome;
    }

    [LoggerMessage(EventId = 720, Level = LogLevel.Information, Message = "Training {PipelineId}: trained trial {Trial} ({Trainer}, {Status}, fit {FitMs:F0} ms)")]
    private static partial void LogTrained(ILogger logger, string pipelineId, int trial, string trainer, string status, double fitMs);
}
