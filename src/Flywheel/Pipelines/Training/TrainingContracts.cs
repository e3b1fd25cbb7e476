using System.Text.Json;
using Flywheel.Contracts.Training;
using Flywheel.Training;
using Flywheel.Training.Search;

namespace Flywheel.Pipelines.Training;

/// <summary>What the training orchestration starts with: the request already checked and resolved (<see cref="TrainingPlanner"/>).</summary>
public sealed record TrainingStart(TrainingPlan Plan, int Parallelism, int ActivityAttempts);

/// <summary>The split and its frames, by blob path: every trial and the gate read these same rows.</summary>
public sealed record TrainingData(DataSplit Split, TrainingFrameSet Frames);

public sealed record PrepareWork(TrainingPlan Plan);

public sealed record TrialWork(string PipelineId, TrainingPlan Plan, TrainingData Data, TrialPlan Trial);

public sealed record FinishWork(string PipelineId, TrainingPlan Plan, TrainingData Data, TrialOutcome Winner);

/// <summary>The winner refitted on train and validation, exported, checked and registered.</summary>
/// <param name="Version">The registered version, or <see cref="Unregistered"/> when the export failed its parity check.</param>
/// <param name="Evaluation">Blob path (reports container) of the test-row curves, confusion and residuals the report draws.</param>
public sealed record TrainedCandidate(string RunId, int Version, string Sha256, IReadOnlyDictionary<string, double> TestMetrics,
    IReadOnlyDictionary<string, double> Importance, ParityReport Parity, string Evaluation)
{
    public const int Unregistered = 0;
}

public sealed record GateWork(string PipelineId, TrainingPlan Plan, TrainingData Data, TrainedCandidate Candidate);

/// <summary>
/// The candidate against the champion on the same test rows (those the champion never saw), both scored through the serving path.
/// <see cref="Passed"/> when there is no champion, when the champion is the candidate, or when the
/// candidate beats it by the gate's margins; each failing check has one reason.
/// </summary>
/// <param name="CandidateMetrics">The candidate's metrics on the compared rows (<see cref="Rows"/>).</param>
public sealed record GateVerdict(bool Passed, int? ChampionVersion, IReadOnlyDictionary<string, double>? ChampionMetrics,
    IReadOnlyDictionary<string, double> CandidateMetrics, IReadOnlyList<string> Reasons, GateRows? Rows = null);

/// <summary>Which test rows the gate compared on: <see cref="Compared"/> of <see cref="Test"/>, the <see cref="Excluded"/> ones being rows the champion trained or validated on.</summary>
public sealed record GateRows(int Test, int Compared, int Excluded, string Basis);

public sealed record PromotionWork(string Model, int Version, string PipelineId);

public sealed record ReportWork(string PipelineId, TrainingPlan Plan, IReadOnlyList<TrialOutcome> Trials, TrainedCandidate Candidate, GateVerdict Gate, PromotionOutcome Promotion, string Reason);

/// <summary>What happened: <see cref="Warnings"/> are the report's (too few test rows to trust the metrics, columns left out); <see cref="Frames"/> are the rows every candidate and the champion were scored on (blob paths in the datasets container); <see cref="Promotion"/> is <c>promoted</c>, <c>not-promoted</c>, <c>rejected</c> (by approval or its timeout) or <c>registered</c> (<c>never</c>); <see cref="Reason"/> says why.</summary>
public sealed record TrainingOutcome(
    string Model,
    int Version,
    string RunId,
    string Trainer,
    IReadOnlyDictionary<string, double> Parameters,
    string Task,
    string Metric,
    IReadOnlyDictionary<string, double> TestMetrics,
    GateVerdict Gate,
    PromotionOutcome Promotion,
    string Reason,
    int TrialsDone,
    int TrialsFailed,
    TrainingFrameSet Frames,
    string Report,
    IReadOnlyList<string> Warnings);

/// <summary>The best trial so far: its number, trainer and score on the plan's metric.</summary>
public sealed record TrialLeader(int Trial, string Trainer, double Value);

/// <summary>The orchestration's custom status while it runs.</summary>
/// <param name="SkippedFeatures">Columns the plan left out of the features, each with the reason.</param>
public sealed record TrainingProgress(TrainingStep Step, string Task, string Metric, int TrialsDone, int TrialsTotal, int TrialsFailed, TrialLeader? Best,
    IReadOnlyDictionary<string, string>? SkippedFeatures = null, string? Note = null);
