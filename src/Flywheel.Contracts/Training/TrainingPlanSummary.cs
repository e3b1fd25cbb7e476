namespace Flywheel.Contracts.Training;

/// <summary>What a started training run will do, as the 202 and the status show it: the resolved task, metric and version, each feature and how it is featurized, and what was left out and why.</summary>
public sealed record TrainingPlanSummary(
    string Task,
    string Metric,
    int DatasetVersion,
    IReadOnlyList<FeatureSpec> Features,
    IReadOnlyDictionary<string, string> SkippedFeatures,
    IReadOnlyList<string> Trainers,
    SplitSpec Split);
