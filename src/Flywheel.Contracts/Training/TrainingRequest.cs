using System.Text.Json.Serialization;
using Flywheel.Contracts;
namespace Flywheel.Contracts.Training;

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

/// <summary>
/// Shares of the labelled rows held out for testing (the gate and the reported metrics) and for
/// validation (the search). A row's part is a function of its values and <see cref="Salt"/>
/// (<see cref="RowKey"/>), not of the seed or the dataset version, so a row keeps its part across
/// retrains; with <see cref="OrderBy"/> the newest rows by that column are the test part instead.
/// </summary>
/// <param name="Salt">Changing it draws a different (equally stable) split.</param>
/// <param name="OrderBy">A date or number column: the last <see cref="Test"/> share of rows by it is the test part, the share before it validation.</param>
public sealed record SplitSpec(double Test = 0.2, double Validation = 0.15, string Salt = SplitSpec.DefaultSalt, string? OrderBy = null)
{
    public const string DefaultSalt = "flywheel";
}

/// <summary>
/// How much better than the champion a candidate must be on the metric (MLflow's
/// validate_evaluation_results thresholds), and on how many test rows the champion never saw.
/// </summary>
/// <param name="MinRows">Fewest test rows that neither the champion nor the candidate trained or validated on; with fewer the candidate is not promoted over a champion.</param>
public sealed record GateSpec(double MinAbsoluteChange = 0, double MinRelativeChange = 0, int MinRows = GateSpec.DefaultMinRows)
{
    public const int DefaultMinRows = 200;
}

/// <summary>
/// <c>POST api/pipelines/training</c>: train candidates on a dataset version, keep the best, register
/// it and gate it against the champion. Only <see cref="Model"/>, <see cref="Dataset"/> and
/// <see cref="Label"/> are required.
/// </summary>
public sealed record TrainingRequest
{
    public required string Model { get; init; }

    public required string Dataset { get; init; }

    /// <summary>A number or <c>latest</c> (datasets have no aliases); JSON takes <c>3</c> or <c>"3"</c>.</summary>
    public VersionReference DatasetVersion { get; init; } = VersionReference.Latest;

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

    /// <summary>
    /// Whether the candidate may be promoted when it takes other inputs than the champion (a feature
    /// added, dropped or retyped): callers sending the champion's inputs would fail on it.
    /// </summary>
    public bool AllowSignatureChange { get; init; }

    /// <summary>How long a <see cref="PromotionPolicy.Manual"/> promotion waits for approval, as an ISO 8601 duration.</summary>
    public string ApprovalTimeout { get; init; } = "P3D";
}
