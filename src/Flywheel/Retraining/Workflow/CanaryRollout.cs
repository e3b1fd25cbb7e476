using System.Globalization;
using System.Text.Json;
using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Flywheel.Contracts.Retraining;
using Flywheel.Events;
using Flywheel.Retraining.Canary;
using Flywheel.Retraining.Policy;
using Flywheel.Serving.Signal;
using Microsoft.DurableTask;

namespace Flywheel.Retraining.Workflow;

/// <summary>
/// A retraining's canary, inside its orchestration: shadow first, then each weight for one interval, each interval judged
/// on every instance's serving signal against the champion over the same minutes. A failed interval counts toward the
/// failure limit and repeats the stage; reaching the limit rolls back at once. An inconclusive interval (too little
/// traffic) holds the stage and never counts as a failure; past the maximum duration the policy's
/// <see cref="CanaryPolicy.OnInconclusive"/> decides. A person can promote, roll back, pause or resume at any time with
/// events on the retraining. Whatever ends it (including a failure of the canary's own work), the routes end promoted or restored.
/// </summary>
internal sealed class CanaryRollout(TaskOrchestrationContext context, RetrainingStart input, int champion, int candidate, RetrainingNotes notes, TaskOptions retry)
{
    public static readonly string Promote = WireNames.Of(RetrainingCommand.Promote);
    public static readonly string Rollback = WireNames.Of(RetrainingCommand.Rollback);
    public static readonly string Pause = WireNames.Of(RetrainingCommand.Pause);
    public static readonly string Resume = WireNames.Of(RetrainingCommand.Resume);

    /// <summary>The events a person steers a canary with (<c>POST api/pipelines/{id}/events/{name}</c>).</summary>
    public static readonly IReadOnlyList<string> Controls = [Promote, Rollback, Pause, Resume];

    /// <summary>The most intervals one stage is judged on (the policy keeps its maximum duration within them), bounding the history.</summary>
    public const int MaxRounds = 2_000;

    /// <summary>The most events one wait reads without acting on them (a resume while running).</summary>
    public const int MaxIgnoredEvents = 100;

    // One wait per control for the whole canary: a wait given up would still take the next event of its name.
    private readonly Task<JsonElement?>?[] _waits = new Task<JsonElement?>?[Controls.Count];

    public async Task<(RetrainingStatus Status, string Reason)> RunAsync()
    {
        var canary = input.Policy.Canary;
        var deadline = context.CurrentUtcDateTime + RetrainingPolicyChecks.ToDuration(canary.MaxDuration);
        var failures = 0;
        try
        {
            foreach (var (weight, shadow, duration) in Stages(canary))
            {
                await context.CallActivityAsync<int>(nameof(SetCanaryTraffic), new CanaryTraffic(input.Model, context.InstanceId, champion, candidate, weight, shadow, input.AllowSignatureChange), retry);
                await notes.AddAsync(shadow ? "shadow" : "canary-step",
                    shadow
                        ? $"Version {candidate} scores a copy of the champion's (version {champion}) requests for {canary.ShadowFirst}, with no live weight."
                        : $"Version {candidate} takes {weight}% of the live traffic for {canary.Interval}.",
                    weight: weight, history: HistoryAction.CanaryStep);
                var at = shadow ? "in the shadow stage" : $"at {weight}%";
                for (var round = 0; ; round++)
                {
                    if (round == MaxRounds)
                    {
                        return await EndAsync(RolloutEnding.Restore, $"the stage {at} was judged {MaxRounds} times without an answer.", rejected: false);
                    }

                    var from = context.CurrentUtcDateTime;
                    var control = await WaitAsync(duration, paused: false);
                    if (control == Pause)
                    {
                        await notes.AddAsync("paused", "Paused by a person: the routes stay as they are until a resume, promote or rollback event.", weight: weight);
                        control = await WaitAsync(null, paused: true);
                        if (control == Resume)
                        {
                            await notes.AddAsync("resumed", "Resumed by a person: the stage's interval starts again.", weight: weight);
                            continue;
                        }
                    }

                    if (control is not null)
                    {
                        return await EndAsync(control == Promote ? RolloutEnding.Promote : RolloutEnding.Restore, $"{(control == Promote ? "promoted" : "rolled back")} by a person during the canary, {at}.", rejected: false);
                    }

                    var judgement = await context.CallActivityAsync<CanaryJudgement>(nameof(JudgeCanary),
                        new CanaryJudgeWork(input.Model, champion, candidate, MinuteOf(from), MinuteOf(context.CurrentUtcDateTime) + 1, canary.Checks, canary.MinRequests, shadow), retry);
                    if (judgement.Outcome == CanaryOutcome.Passed)
                    {
                        await notes.AddAsync("passed", $"Every check passed {at}.", weight: weight, checks: judgement.Checks);
                        break;
                    }

                    if (judgement.Outcome == CanaryOutcome.Failed)
                    {
                        failures++;
                        var failed = Describe(judgement.Failures);
                        await notes.AddAsync("failed", $"Failed {at} ({failures} of {canary.FailureLimit} allowed): {failed}", weight: weight, checks: judgement.Checks);
                        if (failures >= canary.FailureLimit)
                        {
                            return await EndAsync(RolloutEnding.Restore, $"the canary failed {failures} time(s) {at}: {failed}", rejected: true);
                        }

                        continue;
                    }

                    await notes.AddAsync("inconclusive", $"Too little traffic to judge {at}: {Describe(judgement.Checks)} The stage holds.", weight: weight, checks: judgement.Checks);
                    if (context.CurrentUtcDateTime < deadline)
                    {
                        continue;
                    }

                    var why = $"the canary was inconclusive for its whole maximum duration ({canary.MaxDuration})";
                    switch (canary.OnInconclusive)
                    {
                        case InconclusiveAction.Promote:
                            return await EndAsync(RolloutEnding.Promote, $"{why}; the policy promotes then.", rejected: false);
                        case InconclusiveAction.Rollback:
                            return await EndAsync(RolloutEnding.Restore, $"{why}; the policy rolls back then.", rejected: false);
                    }

                    await notes.AddAsync("held", $"Held {at}: {why}. Send a promote or rollback event (POST api/pipelines/{context.InstanceId}/events/promote).",
                        RetrainingStatus.Held, weight: weight, eventType: EventTypes.RetrainingHeld);
                    control = await WaitAsync(null, paused: true);
                    if (control == Resume)
                    {
                        // Nothing to resume once held: only a person's promote or rollback ends it.
                        control = await WaitAsync(null, paused: true, resumeEnds: false);
                    }

                    return await EndAsync(control == Promote ? RolloutEnding.Promote : RolloutEnding.Restore, $"{(control == Promote ? "promoted" : "rolled back")} by a person after the canary was held.", rejected: false);
                }
            }

            return await EndAsync(RolloutEnding.Promote, $"it passed every canary step ({string.Join(", ", canary.Steps.Select(s => $"{s}%"))}).", rejected: false);
        }
        catch (TaskFailedException ex)
        {
            // The canary's own work failed (storage, a version archived under it): the routes must not stay at a step.
            await context.CallActivityAsync<bool>(nameof(EndRollout), new RolloutEnd(input.Model, context.InstanceId, RolloutEnding.Restore, candidate, champion,
                $"The canary could not go on: {ex.FailureDetails.ErrorMessage}", false), retry);
            return (RetrainingStatus.Failed, $"The canary of version {candidate} could not go on, so the routes were restored: {ex.FailureDetails.ErrorMessage}");
        }
    }

    /// <summary>The shadow stage (when the policy has one), then one stage per weight.</summary>
    private static IEnumerable<(int Weight, bool Shadow, TimeSpan Duration)> Stages(CanaryPolicy canary)
    {
        if (RetrainingPolicyChecks.ToDuration(canary.ShadowFirst) is { } shadow && shadow > TimeSpan.Zero)
        {
            yield return (0, true, shadow);
        }

        var interval = RetrainingPolicyChecks.ToDuration(canary.Interval);
        foreach (var weight in canary.Steps)
        {
            yield return (weight, false, interval);
        }
    }

    /// <summary>
    /// Waits for <paramref name="duration"/> (null: for ever) or a control event, whichever comes first; returns the
    /// event's name, or null when the time ran out. A resume while not paused, or a pause while paused, changes nothing.
    /// </summary>
    private async Task<string?> WaitAsync(TimeSpan? duration, bool paused, bool resumeEnds = true)
    {
        using var cancel = new CancellationTokenSource();
        var timer = duration is { } wait ? context.CreateTimer(context.CurrentUtcDateTime + wait, cancel.Token) : null;
        for (var ignoredEvents = 0; ignoredEvents < MaxIgnoredEvents; ignoredEvents++)
        {
            for (var i = 0; i < Controls.Count; i++)
            {
                _waits[i] ??= context.WaitForExternalEvent<JsonElement?>(Controls[i]);
            }

            Task[] pending = timer is null ? [.. _waits!] : [.. _waits!, timer];
            var done = await Task.WhenAny(pending);
            if (done == timer)
            {
                return null;
            }

            var index = Array.IndexOf(_waits, done);
            _waits[index] = null;
            var control = Controls[index];
            if ((control == Resume && (!paused || !resumeEnds)) || (control == Pause && paused))
            {
                continue;
            }

            cancel.Cancel();
            return control;
        }

        // Each event read adds to the history: past the bound, a timed wait runs out and an endless one rolls back.
        if (timer is null)
        {
            return Rollback;
        }

        await timer;
        return null;
    }

    private async Task<(RetrainingStatus, string)> EndAsync(RolloutEnding ending, string why, bool rejected)
    {
        await context.CallActivityAsync<bool>(nameof(EndRollout), new RolloutEnd(input.Model, context.InstanceId, ending, candidate, champion, why, rejected), retry);
        return ending == RolloutEnding.Promote
            ? (RetrainingStatus.Promoted, $"Version {candidate} is the champion with all of the traffic: {why}")
            : (RetrainingStatus.RolledBack, $"Version {candidate} was rolled back and version {champion} serves as before: {why}");
    }

    private static long MinuteOf(DateTime utc) => ServingSignal.MinuteOf(new DateTimeOffset(utc, TimeSpan.Zero));

    private static string Describe(IEnumerable<CanaryCheckResult> checks) =>
        string.Join("; ", checks.Select(c => $"{c.Check} {c.Value.ToString("G4", CultureInfo.InvariantCulture)} (limit {c.Limit.ToString("G4", CultureInfo.InvariantCulture)}): {c.Detail}"));
}
