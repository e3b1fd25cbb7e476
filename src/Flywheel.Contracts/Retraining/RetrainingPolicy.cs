using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Retraining;

/// <summary>
/// <c>PUT api/models/{name}/policy</c>: when the model retrains by itself, and how a retrained candidate reaches
/// traffic. Every field has a default, so <c>{"triggers": {"newData": {}}}</c> is a complete policy. Durations are
/// ISO 8601 (<c>PT5M</c>, <c>P1D</c>); the schedule is a six-field cron (seconds first, UTC), as timer triggers read.
/// </summary>
public sealed record RetrainingPolicy
{
    public RetrainingTriggers Triggers { get; init; } = new();

    /// <summary>How long after a retraining finishes before a trigger may start another.</summary>
    public string Cooldown { get; init; } = "P1D";

    /// <summary>What is trained: <c>saved</c> reruns the model's saved training request on the newest version of its dataset.</summary>
    public RetrainingData Training { get; init; } = RetrainingData.Saved;

    /// <summary>What happens to a candidate that passes the gate.</summary>
    public RolloutMode Promotion { get; init; } = RolloutMode.Canary;

    public CanaryPolicy Canary { get; init; } = new();

    /// <summary><c>manual</c>: a person approves (<c>POST api/pipelines/{id}/events/approval</c>) before any traffic reaches the candidate.</summary>
    public ApprovalMode Approval { get; init; } = ApprovalMode.None;

    /// <summary>How long a manual approval is waited for; without one the candidate stays registered and unused.</summary>
    public string ApprovalTimeout { get; init; } = "P1D";
}

/// <summary>The facts that start a retraining; none set means only a manual start (<c>POST api/models/{name}/retrainings</c>).</summary>
public sealed record RetrainingTriggers
{
    public NewDataTrigger? NewData { get; init; }

    public DriftTrigger? Drift { get; init; }

    /// <summary>A six-field cron (seconds first, UTC): <c>0 0 3 * * 1</c> is Mondays at 03:00.</summary>
    public string? Schedule { get; init; }

    public FeedbackTrigger? Feedback { get; init; }
}

/// <param name="Dataset">The dataset whose new versions count; null means the saved training request's dataset.</param>
/// <param name="MinNewRows">How many rows more than the version the champion was trained on a new version must have.</param>
public sealed record NewDataTrigger(string? Dataset = null, long MinNewRows = 1000);

/// <summary>
/// Learning from production: once an hour the prediction log's inputs that have feedback (over <paramref name="Window"/>)
/// become a new version of <paramref name="Dataset"/> (<c>POST api/models/{name}/feedback-dataset</c>); a version of at
/// least <paramref name="MinRows"/> rows retrains. Point the saved training request at that dataset to train on it.
/// </summary>
public sealed record FeedbackTrigger(string Dataset, long MinRows = 500, string Window = "P7D");

/// <param name="MinShare">The share of drifted input columns a monitoring report must reach.</param>
/// <param name="Consecutive">On how many headline reports in a row.</param>
public sealed record DriftTrigger(double MinShare = 0.5, int Consecutive = 1);

/// <summary>
/// The canary, Flagger's and Argo Rollouts' way: shadow first (a copy of the champion's requests, no live weight), then
/// each weight in <see cref="Steps"/> for one <see cref="Interval"/>, judged against the champion over that interval, then
/// promotion. An interval with fewer than <see cref="MinRequests"/> candidate requests is inconclusive and holds the step;
/// <see cref="FailureLimit"/> failed intervals roll back at once; after <see cref="MaxDuration"/> an inconclusive canary
/// does what <see cref="OnInconclusive"/> says.
/// </summary>
public sealed record CanaryPolicy
{
    /// <summary>How long the candidate scores a copy of the champion's traffic first; null or <c>PT0S</c> skips the shadow stage.</summary>
    public string? ShadowFirst { get; init; } = "PT10M";

    /// <summary>The candidate's live weights in percent, increasing, each within 1-99.</summary>
    public IReadOnlyList<int> Steps { get; init; } = [5, 25, 50];

    public string Interval { get; init; } = "PT5M";

    public long MinRequests { get; init; } = 50;

    public int FailureLimit { get; init; } = 3;

    public InconclusiveAction OnInconclusive { get; init; } = InconclusiveAction.Hold;

    public string MaxDuration { get; init; } = "PT6H";

    public CanaryChecks Checks { get; init; } = new();
}

/// <summary>Where a retraining's rows come from.</summary>
public enum RetrainingData
{
    /// <summary>The model's saved training request, on the newest version of its dataset.</summary>
    [JsonStringEnumMemberName("saved")]
    Saved,
}

/// <summary>How a retrained candidate that passed the gate reaches traffic.</summary>
public enum RolloutMode
{
    /// <summary>Shadow, then weighted steps judged against the champion, then promotion.</summary>
    [JsonStringEnumMemberName("canary")]
    Canary,

    /// <summary>Promoted at once when the gate passes.</summary>
    [JsonStringEnumMemberName("if-better")]
    IfBetter,

    /// <summary>Promoted when a person approves.</summary>
    [JsonStringEnumMemberName("manual")]
    Manual,

    /// <summary>Registered only.</summary>
    [JsonStringEnumMemberName("never")]
    Never,
}

public enum ApprovalMode
{
    [JsonStringEnumMemberName("none")]
    None,

    [JsonStringEnumMemberName("manual")]
    Manual,
}

/// <summary>What an inconclusive canary does once its maximum duration has passed.</summary>
public enum InconclusiveAction
{
    /// <summary>Stop at the current weight and wait for a person (<c>promote</c> or <c>rollback</c> events).</summary>
    [JsonStringEnumMemberName("hold")]
    Hold,

    [JsonStringEnumMemberName("rollback")]
    Rollback,

    [JsonStringEnumMemberName("promote")]
    Promote,
}
