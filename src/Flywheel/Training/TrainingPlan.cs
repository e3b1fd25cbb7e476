namespace Flywheel.Training;

/// <summary>
/// A training request checked against its dataset version and resolved once at the start: the
/// exact version (so a new upload mid-run cannot change the data), the task and metric chosen,
/// the feature columns and the trainers to search.
/// </summary>
/// <param name="Classes">The label's classes for classification, as they appear in the data (null for regression).</param>
/// <param name="LabelledRows">Rows with a label (rows without one are not used).</param>
public sealed record TrainingPlan(
    TrainingRequest Request,
    int DatasetVersion,
    string Sha256,
    TrainingTask Task,
    string Metric,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> Trainers,
    IReadOnlyList<string>? Classes,
    long LabelledRows,
    TimeSpan ApprovalTimeout);
