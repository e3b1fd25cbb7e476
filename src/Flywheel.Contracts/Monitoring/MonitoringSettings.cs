namespace Flywheel.Contracts.Monitoring;

/// <summary>The dataset version a model's inputs are compared with.</summary>
public sealed record MonitoringReference(string Dataset, int Version);

/// <summary>
/// A model's monitoring settings (<c>PUT api/models/{name}/monitoring</c>); every field is optional
/// and falls back to the lineage dataset version, the model's inputs and the host's <c>Flywheel:Monitoring</c> options.
/// <see cref="Methods"/> maps a column name, or "numerical" / "categorical", to a drift method.
/// </summary>
/// <param name="DriftShare">The share of drifted inputs at which the inputs as a whole drift (Evidently's 0.5).</param>
/// <param name="KeyFeatures">How many of the version's most important features (its training record's permutation importance) raise drift on their own when one drifts; 0 turns it off.</param>
/// <param name="TopCategories">A text input with more values in the reference is compared on its most frequent ones plus "(other)".</param>
/// <param name="Recent">Compare with the reference's most recent rows only (a rolling reference).</param>
public sealed record MonitoringSettings(
    MonitoringReference? Reference = null,
    IReadOnlyList<string>? Features = null,
    string? Schedule = null,
    string? Window = null,
    int? MinRows = null,
    IReadOnlyDictionary<string, string>? Methods = null,
    bool Enabled = true,
    double? DriftShare = null,
    int? KeyFeatures = null,
    int? TopCategories = null,
    RecentReference? Recent = null)
{
    public const string Numerical = "numerical";
    public const string Categorical = "categorical";
    public const int DefaultKeyFeatures = 3;
    public const int DefaultTopCategories = 20;

    /// <summary>The method for a column: its own, else its kind's, else auto.</summary>
    public string MethodFor(string column, bool numerical) =>
        Methods?.GetValueOrDefault(column) ?? Methods?.GetValueOrDefault(numerical ? Numerical : Categorical) ?? "auto";
}
