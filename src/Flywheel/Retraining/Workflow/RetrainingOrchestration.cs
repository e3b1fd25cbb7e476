using System.Globalization;
using Flywheel.Contracts.Registry;
using Flywheel.Contracts.Retraining;
using Flywheel.Events;
using Flywheel.Pipelines;
using Flywheel.Pipelines.Training;
using Flywheel.Retraining.Policy;
using Microsoft.DurableTask;

namespace Flywheel.Retraining.Workflow;

/// <summary>
/// A retraining: the training pipeline as a sub-orchestration on the newest data (registering only), its gate against
/// the champion, then promotion as the policy says: never, at once, after an approval, or through a canary. Every
/// decision is a step of the retraining's record (with its evidence), an entry in the model's history where it changes
/// what serves, and a CloudEvent where a subscriber acts on it.
/// </summary>
public sealed class RetrainingOrchestration : TaskOrchestrator<RetrainingStart, RetrainingResult>
{
    /// <summary>The id of the training pipeline a retraining runs, derived from the retraining's, so either finds the other.</summary>
    public static string TrainingInstanceId(string retraining) => $"{retraining}-training";

    public override async Task<RetrainingResult> RunAsync(TaskOrchestrationContext context, RetrainingStart input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = ActivityRetry.Options(input.ActivityAttempts);
        var notes = new RetrainingNotes(context, input.Model, retry);
        await notes.AddAsync("started", $"Triggered by {input.Trigger.Reason}", RetrainingStatus.Running, history: HistoryAction.RetrainingStarted, eventType: EventTypes.RetrainingStarted);

        TrainingOutcome trained;
        try
        {
            trained = await context.CallSubOrchestratorAsync<TrainingOutcome>(PipelineTasks.Training, input.Training,
                new SubOrchestrationOptions { InstanceId = TrainingInstanceId(context.InstanceId) });
        }
        catch (TaskFailedException ex)
        {
            return await FinishAsync(context, input, retry, RetrainingStatus.Failed, $"Training failed: {ex.FailureDetails.ErrorMessage}", null, null);
        }

        var candidate = trained.Version;
        var champion = trained.Gate.ChampionVersion;
        var gate = string.Join(" ", trained.Gate.Reasons);
        var score = trained.TestMetrics.TryGetValue(trained.Metric, out var value) ? $", test {trained.Metric} {value.ToString("G4", CultureInfo.InvariantCulture)}" : string.Empty;
        await notes.AddAsync("trained", $"Version {candidate} registered ({trained.Trainer}{score}). Gate: {gate}", champion: champion, candidate: candidate);
        if (!trained.Gate.Passed)
        {
            return await FinishAsync(context, input, retry, RetrainingStatus.NotPromoted, $"Version {candidate} did not pass the gate: {gate}", champion, candidate);
        }

        if (champion == candidate)
        {
            return await FinishAsync(context, input, retry, RetrainingStatus.NotPromoted, $"Version {candidate} is the champion already: the newest data trained the same model.", champion, candidate);
        }

        var policy = input.Policy;
        if (policy.Promotion == RolloutMode.Never)
        {
            return await FinishAsync(context, input, retry, RetrainingStatus.Registered, $"Version {candidate} passed the gate and was registered; the policy's promotion is 'never'.", champion, candidate);
        }

        if (policy.Approval == ApprovalMode.Manual || policy.Promotion == RolloutMode.Manual)
        {
            var timeout = RetrainingPolicyChecks.ToDuration(policy.ApprovalTimeout);
            await notes.AddAsync("awaiting-approval", $"Version {candidate} waits for an approval (POST api/pipelines/{context.InstanceId}/events/approval) until {context.CurrentUtcDateTime + timeout:u}.");
            var answer = await ApprovalWait.WaitAsync(context, timeout, problem => { });
            if (answer is not { Approved: true })
            {
                var why = answer is null ? $"no approval within {policy.ApprovalTimeout}" : $"rejected{(answer.By is null ? string.Empty : $" by {answer.By}")}{(answer.Comment is null ? string.Empty : $": \"{answer.Comment}\"")}";
                return await FinishAsync(context, input, retry, RetrainingStatus.NotPromoted, $"Version {candidate} was not promoted: {why}.", champion, candidate);
            }

            await notes.AddAsync("approved", $"Approved{(answer.By is null ? string.Empty : $" by {answer.By}")}.");
        }

        if (policy.Promotion != RolloutMode.Canary || champion is null)
        {
            var why = champion is null ? "there is no champion to compare live traffic with" : "the policy promotes without a canary";
            await context.CallActivityAsync<bool>(nameof(EndRollout), new RolloutEnd(input.Model, context.InstanceId, RolloutEnding.Promote, candidate, champion, $"Passed the gate; {why}.", false), retry);
            return await FinishAsync(context, input, retry, RetrainingStatus.Promoted, $"Version {candidate} is the champion: it passed the gate and {why}.", champion, candidate);
        }

        var (status, reason) = await new CanaryRollout(context, input, champion.Value, candidate, notes, retry).RunAsync();
        return await FinishAsync(context, input, retry, status, reason, champion, candidate);
    }

    private static async Task<RetrainingResult> FinishAsync(TaskOrchestrationContext context, RetrainingStart input, TaskOptions retry, RetrainingStatus status, string reason, int? champion, int? candidate)
    {
        await context.CallActivityAsync<bool>(nameof(FinishRetraining), new RetrainingEnd(input.Model, context.InstanceId, status, reason, champion, candidate), retry);
        return new RetrainingResult(input.Model, status, reason, champion, candidate);
    }
}

/// <summary>The steps of one retraining, numbered as the orchestration takes them, so a replay or a retried activity adds each once.</summary>
internal sealed class RetrainingNotes(TaskOrchestrationContext context, string model, TaskOptions retry)
{
    private int _sequence;

    public Task AddAsync(string step, string detail, RetrainingStatus? status = null, int? champion = null, int? candidate = null, int? weight = null,
        IReadOnlyList<CanaryCheckResult>? checks = null, HistoryAction? history = null, string? eventType = null) =>
        context.CallActivityAsync<bool>(nameof(NoteRetraining),
            new RetrainingNote(model, context.InstanceId, _sequence++, new RetrainingStep(context.CurrentUtcDateTime, step, detail, weight, checks), status, champion, candidate, history, eventType),
            retry);
}
