using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Retraining;

/// <summary>What started (or would have started) a retraining.</summary>
public enum TriggerKind
{
    [JsonStringEnumMemberName("newData")]
    NewData,

    [JsonStringEnumMemberName("drift")]
    Drift,

    [JsonStringEnumMemberName("schedule")]
    Schedule,

    [JsonStringEnumMemberName("feedback")]
    Feedback,

    [JsonStringEnumMemberName("manual")]
    Manual,
}

/// <summary>Where a retraining is, or how it ended.</summary>
public enum RetrainingStatus
{
    /// <summary>A trigger fired; the retraining starts on the next tick of the retraining timer.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>The trigger was not acted on (one was running, the cooldown, no saved request); the reason says which.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>The candidate is the champion and takes all of the traffic.</summary>
    [JsonStringEnumMemberName("promoted")]
    Promoted,

    /// <summary>The canary failed (or a person said so): the routes are the champion's again and the candidate is tagged rejected.</summary>
    [JsonStringEnumMemberName("rolled-back")]
    RolledBack,

    /// <summary>The candidate was registered but did not pass the gate, or was not approved.</summary>
    [JsonStringEnumMemberName("not-promoted")]
    NotPromoted,

    /// <summary>Registered only (the policy's promotion is <c>never</c>).</summary>
    [JsonStringEnumMemberName("registered")]
    Registered,

    /// <summary>The canary stopped at its current weight and waits for a person.</summary>
    [JsonStringEnumMemberName("held")]
    Held,

    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Terminated by a person; the routes it changed were restored.</summary>
    [JsonStringEnumMemberName("terminated")]
    Terminated,
}

/// <summary>The fact that fired, with its evidence (a report id and share, a dataset version and its rows, a cron occurrence).</summary>
/// <param name="Key">The fact's identity: a second event for the same fact is the same trigger and starts nothing more.</param>
public sealed record RetrainingTrigger(TriggerKind Kind, string Key, string Reason, IReadOnlyDictionary<string, string> Evidence, DateTimeOffset At);

/// <summary>One decision of a retraining: a step reached, a canary interval judged, a promotion or a rollback.</summary>
/// <param name="Weight">The candidate's live weight in percent at that point, where a canary runs.</param>
/// <param name="Checks">The judge's checks for an interval, each with its value, limit and evidence.</param>
public sealed record RetrainingStep(DateTimeOffset At, string Step, string Detail, int? Weight = null, IReadOnlyList<CanaryCheckResult>? Checks = null);

/// <summary>One check's value against its limit, with the evidence (the champion's value, a p-value) a person reads.</summary>
public sealed record CanaryCheckResult(string Check, bool Passed, double Value, double Limit, string Detail);

/// <summary>One retraining of a model: running or past, with its trigger, every decision and the outcome (<c>GET api/models/{name}/retrainings</c>).</summary>
/// <param name="Id">The pipeline's instance id (steer it with <c>POST api/pipelines/{id}/events/{promote|rollback|pause|resume}</c>).</param>
public sealed record RetrainingRecord(
    string Id,
    string Model,
    RetrainingTrigger Trigger,
    RetrainingStatus Status,
    DateTimeOffset Created,
    DateTimeOffset? Finished,
    int? Champion,
    int? Candidate,
    string? Reason,
    IReadOnlyList<RetrainingStep> Steps);

/// <summary><c>POST api/models/{name}/retrainings</c>: retrain now, whatever the triggers and the cooldown say.</summary>
public sealed record RetrainingStartRequest(string? Reason = null);

/// <summary>
/// A person's say over a running retraining, sent as the event of that name (<c>POST api/pipelines/{id}/events/{name}</c>):
/// promote the candidate now, roll it back, or hold the canary where it is and let it go on.
/// </summary>
public enum RetrainingCommand
{
    [JsonStringEnumMemberName("promote")]
    Promote,

    [JsonStringEnumMemberName("rollback")]
    Rollback,

    [JsonStringEnumMemberName("pause")]
    Pause,

    [JsonStringEnumMemberName("resume")]
    Resume,
}
