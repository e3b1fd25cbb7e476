using Flywheel.Contracts.Training;

namespace Flywheel.Training;

/// <summary>
/// A training request checked against its dataset version and resolved once at the start: the
/// exact version (so a new upload mid-run cannot change the data), the task and metric chosen,
/// the feature columns and the trainers to search.
/// </summary>
/// <param name="Classes">The label's classes for classification, as they appear in the data (null for regression).</param>
/// <param name="SkippedFeatures">Requested features no trainer can use yet, each with the reason.</param>
/// <param name="LabelledRows">Rows with a label (rows without one are not used).</param>
/// <param name="MissingMarkers">The cells that count as missing, as profiling counted them (the contract's, else the defaults).</param>
public sealed record TrainingPlan(
    TrainingRequest Request,
    int DatasetVersion,
    string Sha256,
    string Format,
    IReadOnlyList<string> MissingMarkers,
    TrainingTask Task,
    string Metric,
    IReadOnlyList<FeatureSpec> Features,
    IReadOnlyDictionary<string, string> SkippedFeatures,
    IReadOnlyList<string> Trainers,
    IReadOnlyList<string>? Classes,
    long LabelledRows,
    TimeSpan ApprovalTimeout)
{
    /// <summary>What the 202 and the pipeline's status show of this plan.</summary>
    public TrainingPlanSummary Summary() =>
        new(Task.ToString().ToLowerInvariant(), Metric, DatasetVersion, Features, SkippedFeatures, Trainers, Request.Split);
}
