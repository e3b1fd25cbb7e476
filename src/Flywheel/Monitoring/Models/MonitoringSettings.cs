using System.Xml;
using Flywheel.Contracts.Errors;
using Flywheel.Monitoring.Drift;

namespace Flywheel.Monitoring.Models;

/// <summary>The dataset version a model's inputs are compared with.</summary>
public sealed record MonitoringReference(string Dataset, int Version);

/// <summary>
/// A model's monitoring settings (<c>PUT api/models/{name}/monitoring</c>); every field is optional
/// and falls back to the lineage dataset version, the model's inputs and <see cref="MonitoringOptions"/>.
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

    /// <summary>The window as a duration (ISO 8601, e.g. PT24H), or the default; throws an invalid-input error naming the field.</summary>
    public TimeSpan WindowOr(TimeSpan fallback)
    {
        if (Window is null)
        {
            return fallback;
        }

        TimeSpan window;
        try
        {
            window = XmlConvert.ToTimeSpan(Window);
        }
        catch (FormatException)
        {
            throw Invalid($"window must be an ISO 8601 duration such as PT24H or P7D; it is '{Window}'.");
        }

        return window > TimeSpan.Zero && window <= MonitoringSchedule.MaxWindow
            ? window
            : throw Invalid($"window must be positive and at most {MonitoringSchedule.MaxWindow.TotalDays:N0} days; it is '{Window}'.");
    }

    /// <summary>Checks what can be checked without storage: schedule, window, minRows, methods, feature names.</summary>
    public void Validate()
    {
        if (Schedule is not null && MonitoringSchedule.TryParse(Schedule) is null)
        {
            throw Invalid($"schedule must be a six-field cron expression (seconds minutes hours days months weekdays, UTC) such as \"0 0 * * * *\"; it is '{Schedule}'.");
        }

        WindowOr(TimeSpan.FromHours(1));
        if (MinRows is < 1)
        {
            throw Invalid($"minRows must be at least 1; it is {MinRows}.");
        }

        if (DriftShare is { } share && !(share is > 0 and <= 1))
        {
            throw Invalid($"driftShare must be within (0, 1]; it is {share}.");
        }

        if (KeyFeatures is < 0 or > 100 || TopCategories is < 2 or > 10_000)
        {
            throw Invalid($"keyFeatures must be within [0, 100] and topCategories within [2, 10000]; they are {KeyFeatures} and {TopCategories}.");
        }

        Recent?.Validate();
        if (Reference is { } reference && (string.IsNullOrWhiteSpace(reference.Dataset) || reference.Version < 1))
        {
            throw Invalid("reference needs a dataset name and a version number (1 or more), e.g. {\"dataset\": \"titanic\", \"version\": 3}.");
        }

        if (Reference is { } named)
        {
            ResourceName.Check("dataset", named.Dataset);
        }

        if (Features is { } features && (features.Count == 0 || features.Any(string.IsNullOrWhiteSpace) || features.Distinct(StringComparer.Ordinal).Count() != features.Count))
        {
            throw Invalid("features must list distinct column names (leave it out to monitor every model input the reference has).");
        }

        foreach (var (column, method) in Methods ?? new Dictionary<string, string>())
        {
            if (!DriftDetection.Methods.Contains(method))
            {
                throw Invalid($"methods.{column}: '{method}' is not a drift method; use {string.Join(", ", DriftDetection.Methods)}.");
            }
        }
    }

    /// <summary>The method for a column: its own, else its kind's, else auto.</summary>
    public string MethodFor(string column, bool numerical) =>
        Methods?.GetValueOrDefault(column) ?? Methods?.GetValueOrDefault(numerical ? Numerical : Categorical) ?? "auto";

    private static FlywheelException Invalid(string detail) => new(ErrorKind.InvalidInput, ProblemTypes.InvalidMonitoring, detail);
}
