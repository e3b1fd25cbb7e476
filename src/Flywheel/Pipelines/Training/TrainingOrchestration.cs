using System.Globalization;
using Flywheel.Contracts.Pipelines;
using Flywheel.Contracts.Training;
using Flywheel.Training;
using Flywheel.Training.Reports;
using Flywheel.Training.Search;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Flywheel.Pipelines.Training;

/// <summary>
/// Training: split, search (a seeded random start, then successive halving; trials fan out with
/// bounded parallelism), refit the winner and register it, gate it against the champion, then
/// promote, wait for an approval, or only register, and write the report. Only references and
/// small records travel through the history; rows, frames and models stay in blobs. Finished trials
/// are in the history, so a restarted host does not train them again.
/// </summary>
public sealed partial class TrainingOrchestration : TaskOrchestrator<TrainingStart, TrainingOutcome>
{
    public override async Task<TrainingOutcome> RunAsync(TaskOrchestrationContext context, TrainingStart input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var plan = input.Plan;
        var retry = ActivityRetry.Options(input.ActivityAttempts);
        var total = plan.Request.Trials;
        var outcomes = new List<TrialOutcome>();
        void Progress(TrainingStep step, string? note = null) => context.SetCustomStatus(new TrainingProgress(step, Name(plan.Task), plan.Metric, outcomes.Count, total,
            outcomes.Count(o => o.Status == RunStatus.Failed),
            TrialSearch.Ranked(plan, outcomes).FirstOrDefault() is { } best ? new TrialLeader(best.Trial, best.Spec.Trainer, best.Metrics[plan.Metric]) : null,
            plan.SkippedFeatures, note));

        Progress(TrainingStep.Splitting);
        var data = await context.CallActivityAsync<TrainingData>(nameof(PrepareTrainingData), new PrepareWork(plan), retry);

        Progress(TrainingStep.Searching);
        var start = TrialSearch.Start(plan);
        await RunTrialsAsync(context, input, data, start, outcomes, retry, step => Progress(step));
        await RunTrialsAsync(context, input, data, TrialSearch.Survivors(plan, start, outcomes), outcomes, retry, step => Progress(step));
        var winner = TrialSearch.Best(plan, outcomes)
            ?? throw new InvalidOperationException($"Every trial failed; the first: {outcomes.FirstOrDefault(o => o.Error is not null)?.Error}");

        Progress(TrainingStep.Refitting);
        var candidate = await context.CallActivityAsync<TrainedCandidate>(nameof(FinishTraining), new FinishWork(context.InstanceId, plan, data, winner), retry);
        if (!candidate.Parity.Passed)
        {
            throw new InvalidOperationException(
                $"The ONNX export does not answer as ML.NET does on the {candidate.Parity.Rows} test rows: largest {candidate.Parity.Compared} difference {candidate.Parity.MaxDifference:G4} " +
                $"(at most {ParityReport.Tolerance} accepted), {candidate.Parity.LabelsDiffering} label(s) differ. Nothing was registered.");
        }

        Progress(TrainingStep.Gating);
        var gate = await context.CallActivityAsync<GateVerdict>(nameof(GateCandidate), new GateWork(context.InstanceId, plan, data, candidate), retry);
        var (promotion, reason) = await DecideAsync(context, plan, candidate, gate, retry, Progress);

        Progress(TrainingStep.Reporting);
        var report = await context.CallActivityAsync<string>(nameof(WriteTrainingReport),
            new ReportWork(context.InstanceId, plan, outcomes, candidate, gate, promotion, reason), retry);
        Progress(TrainingStep.Completed);
        return new TrainingOutcome(plan.Request.Model, candidate.Version, candidate.RunId, winner.Spec.Trainer, winner.Spec.Parameters, Name(plan.Task), plan.Metric,
            candidate.TestMetrics, gate, promotion, reason, outcomes.Count, outcomes.Count(o => o.Status == RunStatus.Failed), data.Frames, report,
            TrainingReportContent.Warnings(plan, data.Split.Test));
    }

    private static Task RunTrialsAsync(TaskOrchestrationContext context, TrainingStart input, TrainingData data, IReadOnlyList<TrialPlan> trials,
        List<TrialOutcome> outcomes, TaskOptions retry, Action<TrainingStep> progress) =>
        BoundedFanOut.RunAsync(trials, input.Parallelism,
            trial => context.CallActivityAsync<TrialOutcome>(nameof(TrainTrial), new TrialWork(context.InstanceId, input.Plan, data, trial), retry),
            outcome =>
            {
                outcomes.Add(outcome);
                progress(TrainingStep.Searching);
            });

    private static async Task<(PromotionOutcome Promotion, string Reason)> DecideAsync(TaskOrchestrationContext context, TrainingPlan plan, TrainedCandidate candidate, GateVerdict gate,
        TaskOptions retry, Action<TrainingStep, string?> progress)
    {
        var version = candidate.Version;
        var gateText = string.Join(" ", gate.Reasons);
        switch (plan.Request.Promotion)
        {
            case PromotionPolicy.Never:
                return (PromotionOutcome.Registered, $"Version {version} was registered; promotion is 'never'. Gate: {gateText}");
            case PromotionPolicy.IfBetter when gate.Passed:
                await context.CallActivityAsync(nameof(PromoteCandidate), new PromotionWork(plan.Request.Model, version, context.InstanceId), retry);
                return (PromotionOutcome.Promoted, $"Version {version} is now 'champion'. {gateText}");
            case PromotionPolicy.IfBetter or PromotionPolicy.Manual when !gate.Passed:
                return (PromotionOutcome.NotPromoted, $"Version {version} was registered but not promoted: {gateText}");
        }

        progress(TrainingStep.AwaitingApproval, null);
        var answer = await ApprovalWait.WaitAsync(context, plan.ApprovalTimeout, problem =>
        {
            LogIgnoredApproval(context.CreateReplaySafeLogger<TrainingOrchestration>(), context.InstanceId, problem);
            progress(TrainingStep.AwaitingApproval, $"An event was ignored: {problem}. Still waiting for an approval.");
        });
        if (answer is null)
        {
            return (PromotionOutcome.Rejected, $"Version {version} was registered but not promoted: no approval within {System.Xml.XmlConvert.ToString(plan.ApprovalTimeout)}.");
        }

        var who = answer.By is null ? string.Empty : $" by {answer.By}";
        var comment = answer.Comment is null ? string.Empty : $": \"{answer.Comment}\"";
        if (!answer.Approved)
        {
            return (PromotionOutcome.Rejected, $"Version {version} was rejected{who}{comment}.");
        }

        await context.CallActivityAsync(nameof(PromoteCandidate), new PromotionWork(plan.Request.Model, version, context.InstanceId), retry);
        return (PromotionOutcome.Promoted, $"Version {version} is now 'champion', approved{who}{comment}. {gateText}");
    }

    [LoggerMessage(EventId = 725, Level = LogLevel.Warning, Message = "Training {PipelineId}: ignored an approval event: {Problem}")]
    private static partial void LogIgnoredApproval(ILogger logger, string pipelineId, string problem);

    private static string Name(TrainingTask task) => task.ToString().ToLower(CultureInfo.InvariantCulture);
}
