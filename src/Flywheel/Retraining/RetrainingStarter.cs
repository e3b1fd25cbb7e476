using Flywheel.Contracts;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Monitoring;
using Flywheel.Contracts.Pipelines;
using Flywheel.Contracts.Retraining;
using Flywheel.Contracts.Training;
using Flywheel.Monitoring.Feedback;
using Flywheel.Pipelines;
using Flywheel.Pipelines.Training;
using Flywheel.Retraining.Policy;
using Flywheel.Retraining.Workflow;
using Flywheel.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flywheel.Retraining;

/// <summary>
/// Starts retrainings, one at a time per model: on each tick of the retraining timer (both hosts) the pending ones that
/// triggers fired, and at once the ones a person asks for. A retraining that cannot start now (another runs, the
/// cooldown) is recorded as skipped with why. It also ends what a retraining left behind when it did not end by itself
/// (terminated, or its host lost): the routes its canary changed are restored and the model's claim released.
/// </summary>
public sealed partial class RetrainingStarter(
    RetrainingLedger ledger, RetrainingPolicies policies, TriggerWatcher triggers, TrainingSpecs specs, TrainingPlanner planner, CanaryRoutes routes,
    FeedbackDataset feedback, IOptions<PipelineOptions> pipelines, TimeProvider time, ILogger<RetrainingStarter> logger)
{
    /// <summary>How long a termination is waited for before the routes are restored: an activity still running could set them again.</summary>
    private static readonly TimeSpan TerminationWait = TimeSpan.FromSeconds(30);

    /// <returns>The retrainings started on this tick.</returns>
    public async Task<IReadOnlyList<string>> TickAsync(IPipelineClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await triggers.CheckSchedulesAsync(cancellationToken).ConfigureAwait(false);
        await CheckFeedbackAsync(cancellationToken).ConfigureAwait(false);
        var started = new List<string>();
        await foreach (var pending in ledger.PendingAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (await StartAsync(client, pending, cancellationToken).ConfigureAwait(false))
                {
                    started.Add(pending.Id);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One model's failure never keeps another's retraining from starting.
                LogStartFailed(logger, ex, pending.Model, pending.Id);
            }
        }

        return started;
    }

    /// <summary>
    /// Once an hour per model with a feedback trigger: the logged inputs that have feedback become a new version of the
    /// trigger's dataset, and a version of at least its minimum rows fires the trigger. Built here rather than where
    /// versions are watched: the dataset's ingest tells that watcher of every version it commits.
    /// </summary>
    public async Task CheckFeedbackAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hour = now.UtcDateTime.ToString("yyyyMMdd'T'HH", System.Globalization.CultureInfo.InvariantCulture);
        await foreach (var entry in policies.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (entry.Policy.Triggers?.Feedback is not { } rule || !await ledger.MarkCheckedAsync(entry.Model.Name, "Feedback", hour, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                var built = await feedback.AppendAsync(entry.Model.Name,
                    new FeedbackDatasetRequest { Dataset = rule.Dataset, From = now - RetrainingPolicyChecks.ToDuration(rule.Window), To = now }, cancellationToken).ConfigureAwait(false);
                if (built.Created && built.Rows >= rule.MinRows)
                {
                    await triggers.FireAsync(entry.Model.Name, new RetrainingTrigger(TriggerKind.Feedback, $"feedback-{built.Dataset}-v{built.Version}",
                        $"feedback: {built.Rows:N0} logged inputs with feedback became dataset {built.Dataset} version {built.Version} (at least {rule.MinRows:N0} asked)",
                        new Dictionary<string, string>
                        {
                            ["dataset"] = built.Dataset,
                            ["version"] = built.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            ["rows"] = built.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            ["source"] = built.Source,
                        }, now), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (FlywheelException ex) when (ex.Kind is ErrorKind.Unprocessable or ErrorKind.NotFound)
            {
                // No feedback in the window yet, or nothing to learn from: the next hour looks again.
                LogNoFeedback(logger, entry.Model.Name, ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A schema that no longer fits, storage trouble: said in the log, and the other models' checks go on.
                LogFeedbackFailed(logger, ex, entry.Model.Name);
            }
        }
    }

    /// <summary>Retrains <paramref name="model"/> now, whatever its triggers and cooldown say (one at a time still holds).</summary>
    public async Task<RetrainingRecord> StartNowAsync(IPipelineClient client, string model, string? reason, string? by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        _ = await specs.GetAsync(model, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"Model '{model}' has no saved training request to rerun: PUT one to api/models/{model}/training first.");
        var now = time.GetUtcNow();
        var who = by is null ? "a person" : by;
        var trigger = new RetrainingTrigger(TriggerKind.Manual, $"manual-{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}",
            $"a manual start by {who}{(reason is null ? string.Empty : $": {reason}")}", new Dictionary<string, string> { ["by"] = who }, now);
        await triggers.FireAsync(model, trigger, cancellationToken).ConfigureAwait(false);
        var id = TriggerWatcher.InstanceId(model, trigger.Key);
        var record = (await ledger.GetAsync(model, id, cancellationToken).ConfigureAwait(false))!;
        await StartAsync(client, record, cancellationToken).ConfigureAwait(false);
        return (await ledger.GetAsync(model, id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// After <paramref name="id"/> is terminated: once the engine says it has stopped, the routes its canary changed are
    /// restored and the model's claim released. Does nothing for a pipeline that is not a retraining.
    /// </summary>
    public async Task TerminatedAsync(IPipelineClient client, PipelineStatus status, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(status);
        if (status.Name != PipelineTasks.Retraining || status.Input is not { } input || !input.TryGetProperty("model", out var named) || named.GetString() is not { } model)
        {
            return;
        }

        var deadline = time.GetUtcNow() + TerminationWait;
        while ((await client.GetAsync(status.InstanceId, cancellationToken).ConfigureAwait(false)) is { IsFinished: false } && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken).ConfigureAwait(false);
        }

        // The engine does not terminate a sub-orchestration with its parent: a training left running would register a version for nothing.
        var training = RetrainingOrchestration.TrainingInstanceId(status.InstanceId);
        if (await client.GetAsync(training, cancellationToken).ConfigureAwait(false) is { IsFinished: false })
        {
            await client.TerminateAsync(training, $"its retraining {status.InstanceId} was terminated", cancellationToken).ConfigureAwait(false);
        }

        await EndAbandonedAsync(model, status.InstanceId, RetrainingStatus.Terminated, $"Terminated{(reason is null ? string.Empty : $": {reason}")}; the routes it changed were restored.", cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> StartAsync(IPipelineClient client, RetrainingRecord record, CancellationToken cancellationToken)
    {
        var model = record.Model;
        var manual = record.Trigger.Kind == TriggerKind.Manual;
        var policy = await policies.GetAsync(model, cancellationToken).ConfigureAwait(false) ?? (manual ? new RetrainingPolicy() : null);
        if (policy is null)
        {
            await EndAsync(record, RetrainingStatus.Skipped, "The model has no retraining policy any more.", cancellationToken).ConfigureAwait(false);
            return false;
        }

        var now = time.GetUtcNow();
        var cooldown = manual ? TimeSpan.Zero : RetrainingPolicyChecks.ToDuration(policy.Cooldown);
        var refused = await ledger.ClaimAsync(model, record.Id, cooldown, now, running => EndedAsync(client, model, running, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            await EndAsync(record, RetrainingStatus.Skipped, $"Not started: {refused}", cancellationToken).ConfigureAwait(false);
            return false;
        }

        try
        {
            var saved = await specs.GetAsync(model, cancellationToken).ConfigureAwait(false)
                ?? throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"Model '{model}' has no saved training request to rerun.");

            // Training only registers: the retraining decides what reaches traffic, as the policy says.
            var plan = await planner.PlanAsync(saved with { DatasetVersion = VersionReference.Latest, Promotion = PromotionPolicy.Never }, cancellationToken).ConfigureAwait(false);
            var settings = pipelines.Value;
            await ledger.UpdateAsync(model, record.Id, r => r with { Status = RetrainingStatus.Running }, cancellationToken).ConfigureAwait(false);
            await client.StartAsync(PipelineTasks.Retraining, record.Id,
                new RetrainingStart(model, record.Trigger, policy, new TrainingStart(plan, settings.TrainingParallelism, settings.ActivityAttempts), saved.AllowSignatureChange, settings.ActivityAttempts),
                cancellationToken).ConfigureAwait(false);
            LogStarted(logger, model, record.Id);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await EndAsync(record, RetrainingStatus.Failed, $"Could not start: {ex.Message}", cancellationToken).ConfigureAwait(false);
            await ledger.ReleaseAsync(model, record.Id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether the retraining holding the claim has ended; one that ended without cleaning up is cleaned up here first.</summary>
    private async Task<bool> EndedAsync(IPipelineClient client, string model, string running, CancellationToken cancellationToken)
    {
        var status = await client.GetAsync(running, cancellationToken).ConfigureAwait(false);
        var record = await ledger.GetAsync(model, running, cancellationToken).ConfigureAwait(false);
        if (status is { IsFinished: false } || (status is null && record is { Status: RetrainingStatus.Running, Finished: null } && record.Created > time.GetUtcNow() - TerminationWait))
        {
            return false;
        }

        var how = status?.RuntimeStatus == PipelineRuntimeStatus.Terminated ? RetrainingStatus.Terminated : RetrainingStatus.Failed;
        await EndAbandonedAsync(model, running, how, $"Ended without finishing ({status?.RuntimeStatus.ToString() ?? "never started"}); the routes it changed were restored.", cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Marks the retraining ended first (so a late traffic change of its own finds it over), then restores what its canary changed.</summary>
    private async Task EndAbandonedAsync(string model, string id, RetrainingStatus status, string reason, CancellationToken cancellationToken)
    {
        var record = await ledger.GetAsync(model, id, cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            await EndAsync(record, status, reason, cancellationToken).ConfigureAwait(false);
        }

        if (await ledger.OriginAsync(model, cancellationToken).ConfigureAwait(false) is { } origin && origin.Retraining == id)
        {
            await routes.EndAsync(new RolloutEnd(model, id, RolloutEnding.Restore, record?.Candidate ?? 0, record?.Champion, reason, false), cancellationToken).ConfigureAwait(false);
        }

        await ledger.ReleaseAsync(model, id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private Task<bool> EndAsync(RetrainingRecord record, RetrainingStatus status, string reason, CancellationToken cancellationToken) =>
        ledger.UpdateAsync(record.Model, record.Id, r => r.Finished is not null ? null : r with { Status = status, Reason = reason, Finished = time.GetUtcNow() }, cancellationToken);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "Retraining of {Model}: started {Id}")]
    private static partial void LogStarted(ILogger logger, string model, string id);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Debug, Message = "Retraining of {Model}: no feedback dataset this hour: {Why}")]
    private static partial void LogNoFeedback(ILogger logger, string model, string why);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Warning, Message = "Retraining of {Model}: its feedback dataset could not be built this hour")]
    private static partial void LogFeedbackFailed(ILogger logger, Exception exception, string model);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "Retraining of {Model}: {Id} could not be started")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string model, string id);
}
