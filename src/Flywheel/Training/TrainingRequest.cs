using System.Text.Json.Serialization;

namespace Flywheel.Training;

/// <summary>What a model is trained to predict; <see cref="Auto"/> reads it off the label column's profile.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingTask>))]
public enum TrainingTask
{
    [JsonStringEnumMemberName("auto")]
    Auto,

    [JsonStringEnumMemberName("binary")]
    Binary,

    [JsonStringEnumMemberName("multiclass")]
    Multiclass,

    [JsonStringEnumMemberName("regression")]
    Regression,
}

/// <summary>What happens to the winner: promoted when better than the champion, after an approval, or only registered.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PromotionPolicy>))]
public enum PromotionPolicy
{
    [JsonStringEnumMemberName("if-better")]
    IfBetter,

    [JsonStringEnumMemberName("manual")]
    Manual,

    [JsonStringEnumMemberName("never")]
    Never,
}

/// <summary>Shares of the labelled rows held out for testing (the gate and the reported metrics) and for validation (the search).</summary>
public sealed record SplitSpec(double Test = 0.2, double Validation = 0.15);

/// <summary>How much better than the champion a candidate must be on the metric (MLflow's validate_evaluation_results thresholds).</summary>
public sealed record GateSpec(double MinAbsoluteChange = 0, double MinRelativeChange = 0);

/// <summary>
/// <c>POST api/pipelines/training</c>: train candidates on a dataset version, keep the best, register
/// it and gate it against the champion. Only <see cref="Model"/>, <see cref="Dataset"/> and
/// <see cref="Label"/> are required.
/// </summary>
public sealed record TrainingRequest
{
    public required string Model { get; init; }

    public required string Dataset { get; init; }

    public string DatasetVersion { get; init; } = VersionReference.LatestText;

    public required string Label { get; init; }

    public TrainingTask Task { get; init; } = TrainingTask.Auto;

    /// <summary>The feature columns; null means every column but the label and <see cref="Exclude"/>.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Trainer families to search (<see cref="TrainingPlanner.Trainers"/>); null means all of them.</summary>
    public IReadOnlyList<string>? Trainers { get; init; }

    public int Trials { get; init; } = 12;

    public int Seed { get; init; } = 42;

    /// <summary>The metric the search and the gate compare; <c>auto</c> is AUC (binary), macro log-loss (multiclass), RMSE (regression).</summary>
    public string Metric { get; init; } = "auto";

    public SplitSpec Split { get; init; } = new();

    public PromotionPolicy Promotion { get; init; } = PromotionPolicy.IfBetter;

    public GateSpec Gate { get; init; } = new();

    /// <summary>How long a <see cref="PromotionPolicy.Manual"/> promotion waits for approval, as an ISO 8601 duration.</summary>
    public string ApprovalTimeout { get; init; } = "P3D";
}
