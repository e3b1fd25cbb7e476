using System.Xml;
using Flywheel.Contracts;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Monitoring;
using Flywheel.Monitoring.Drift;

namespace Flywheel.Monitoring.Models;

/// <summary>The checks on <see cref="MonitoringSettings"/> that need the server: the cron grammar, the longest window, the drift methods and the naming rule.</summary>
public static class MonitoringSettingsChecks
{
    /// <summary>The window as a duration (ISO 8601, e.g. PT24H), or the default; throws an invalid-input error naming the field.</summary>
    public static TimeSpan WindowOr(this MonitoringSettings settings, TimeSpan fallback)
    {
        if (settings.Window is null)
        {
            return fallback;
        }

        TimeSpan window;
        try
        {
            window = XmlConvert.ToTimeSpan(settings.Window);
        }
        catch (FormatException)
        {
            throw Invalid($"window must be an ISO 8601 duration such as PT24H or P7D; it is '{settings.Window}'.");
        }

        return window > TimeSpan.Zero && window <= MonitoringSchedule.MaxWindow
            ? window
            : throw Invalid($"window must be positive and at most {MonitoringSchedule.MaxWindow.TotalDays:N0} days; it is '{settings.Window}'.");
    }

    /// <summary>Checks what can be checked without storage: schedule, window, minRows, methods, feature names.</summary>
    public static void Validate(this MonitoringSettings settings)
    {
        if (settings.Schedule is not null && MonitoringSchedule.TryParse(settings.Schedule) is null)
        {
            throw Invalid($"schedule must be a six-field cron expression (seconds minutes hours days months weekdays, UTC) such as \"0 0 * * * *\"; it is '{settings.Schedule}'.");
        }

        settings.WindowOr(TimeSpan.FromHours(1));
        if (settings.MinRows is < 1)
        {
            throw Invalid($"minRows must be at least 1; it is {settings.MinRows}.");
        }

        if (settings.DriftShare is { } share && !(share is > 0 and <= 1))
        {
            throw Invalid($"driftShare must be within (0, 1]; it is {share}.");
        }

        if (settings.KeyFeatures is < 0 or > 100 || settings.TopCategories is < 2 or > 10_000)
        {
            throw Invalid($"keyFeatures must be within [0, 100] and topCategories within [2, 10000]; they are {settings.KeyFeatures} and {settings.TopCategories}.");
        }

        settings.Recent?.Validate();
        if (settings.Reference is { } reference && (string.IsNullOrWhiteSpace(reference.Dataset) || reference.Version < 1))
        {
            throw Invalid("reference needs a dataset name and a version number (1 or more), e.g. {\"dataset\": \"titanic\", \"version\": 3}.");
        }

        if (settings.Reference is { } named)
        {
            ResourceName.Check("dataset", named.Dataset);
        }

        if (settings.Features is { } features && (features.Count == 0 || features.Any(string.IsNullOrWhiteSpace) || features.Distinct(StringComparer.Ordinal).Count() != features.Count))
        {
            throw Invalid("features must list distinct column names (leave it out to monitor every model input the reference has).");
        }

        foreach (var (column, method) in settings.Methods ?? new Dictionary<string, string>())
        {
            if (!DriftDetection.Methods.Contains(method))
            {
                throw Invalid($"methods.{column}: '{method}' is not a drift method; use {string.Join(", ", DriftDetection.Methods)}.");
            }
        }
    }

    private static FlywheelException Invalid(string detail) => new(ErrorKind.InvalidInput, ProblemTypes.InvalidMonitoring, detail);
}
