using Flywheel.Contracts.Datasets;

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
    TimeSpan ApprovalTimeout);

/// <summary>What a started training run will do, as the 202 and the status show it: the resolved task, metric and version, each feature and how it is featurized, and what was left out and why.</summary>
public sealed record TrainingPlanSummary(
    string Task,
    string Metric,
    int DatasetVersion,
    IReadOnlyList<FeatureSpec> Features,
    IReadOnlyDictionary<string, string> SkippedFeatures,
    IReadOnlyList<string> Trainers,
    SplitSpec Split)
{
    public static TrainingPlanSummary From(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new TrainingPlanSummary(plan.Task.ToString().ToLowerInvariant(), plan.Metric, plan.DatasetVersion, plan.Features, plan.SkippedFeatures, plan.Trainers, plan.Request.Split);
    }
}
