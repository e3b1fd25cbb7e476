using Flywheel.Contracts.Registry;
using Flywheel.Contracts.Retraining;
using Flywheel.Pipelines.Training;

namespace Flywheel.Retraining.Workflow;

/// <summary>
/// What a retraining starts with: its trigger, the model's policy as it was when it started (a policy changed later
/// applies to the next retraining), and the saved training request already planned on the newest data, registering only.
/// </summary>
public sealed record RetrainingStart(string Model, RetrainingTrigger Trigger, RetrainingPolicy Policy, TrainingStart Training, bool AllowSignatureChange, int ActivityAttempts);

/// <summary>Step <paramref name="Sequence"/> of a retraining, with the record's state from then on, the history entry and the event it also writes.</summary>
public sealed record RetrainingNote(string Model, string Id, int Sequence, RetrainingStep Step, RetrainingStatus? Status = null, int? Champion = null, int? Candidate = null,
    HistoryAction? History = null, string? EventType = null);

/// <summary>The routes a canary stage sets: the champion with the rest of the traffic, the candidate with <paramref name="Weight"/> percent, and the candidate as the shadow when <paramref name="Shadow"/>.</summary>
public sealed record CanaryTraffic(string Model, string Id, int Champion, int Candidate, int Weight, bool Shadow, bool AllowSignatureChange);

/// <summary>The interval a canary stage is judged on: minutes [<paramref name="FromMinute"/>, <paramref name="ToMinute"/>) since the Unix epoch; in the shadow stage (<paramref name="Shadow"/>) the candidate's shadow answers.</summary>
public sealed record CanaryJudgeWork(string Model, int Champion, int Candidate, long FromMinute, long ToMinute, CanaryChecks Checks, long MinRequests, bool Shadow = false);

/// <summary>How a canary's routes end: the candidate promoted with all of the traffic, or the routes the canary replaced restored.</summary>
public enum RolloutEnding
{
    Promote,
    Restore,
}

/// <summary>Ends a retraining's routes: <paramref name="Detail"/> is the history's and the event's why (the failing checks, who asked).</summary>
public sealed record RolloutEnd(string Model, string Id, RolloutEnding Ending, int Candidate, int? Champion, string Detail, bool Rejected);

/// <summary>Ends a retraining: its outcome, why, and the versions it compared.</summary>
public sealed record RetrainingEnd(string Model, string Id, RetrainingStatus Status, string Reason, int? Champion, int? Candidate);

/// <summary>What a retraining did: the orchestration's output.</summary>
public sealed record RetrainingResult(string Model, RetrainingStatus Status, string Reason, int? Champion, int? Candidate);
