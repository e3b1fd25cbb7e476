using Flywheel.Contracts.Errors;

namespace Flywheel.Registry;

/// <summary>
/// How much a model version may carry besides its bytes. The annotations live in one table row
/// (64 KB per property, 1 MB per row), so each has a limit, and going over one is a 422 that names
/// it, not a storage failure. Close to MLflow's own limits (tag keys 250, values 5,000 characters).
/// </summary>
public static class AnnotationLimits
{
    public const int MaxDescriptionChars = 8_000;
    public const int MaxTags = 100;
    public const int MaxKeyChars = 250;
    public const int MaxTagValueChars = 5_000;
    public const int MaxMetrics = 200;
    public const int MaxRunIdChars = 256;
    public const int MaxFeatureNames = 1_000;
    public const int MaxFeatureNameChars = 1_024;
    public const int MaxAliases = 100;

    /// <summary>What all tags (or all feature names) may add up to, in characters: one table property.</summary>
    public const int MaxTotalChars = 30_000;

    /// <exception cref="FlywheelException">422 naming the first limit exceeded.</exception>
    public static void Check(string? description, IReadOnlyDictionary<string, string>? tags, IReadOnlyDictionary<string, double>? metrics = null,
        IReadOnlyList<string>? featureNames = null, string? runId = null)
    {
        if (description is { Length: > MaxDescriptionChars })
        {
            throw Exceeded($"description has {description.Length:N0} characters; the limit is {MaxDescriptionChars:N0}.");
        }

        if (tags is not null)
        {
            if (tags.Count > MaxTags)
            {
                throw Exceeded($"{tags.Count:N0} tags; the limit is {MaxTags} per version.");
            }

            if (tags.FirstOrDefault(t => t.Key.Length is 0 or > MaxKeyChars || t.Value is null || t.Value.Length > MaxTagValueChars) is { Key: not null } bad)
            {
                throw Exceeded($"tag '{Shorten(bad.Key)}': keys need 1 to {MaxKeyChars} characters and values at most {MaxTagValueChars:N0}.");
            }

            if (tags.Sum(t => t.Key.Length + t.Value.Length + 6) > MaxTotalChars)
            {
                throw Exceeded($"the tags add up to more than {MaxTotalChars:N0} characters, the limit for all tags of a version.");
            }
        }

        if (metrics is not null)
        {
            if (metrics.Count > MaxMetrics)
            {
                throw Exceeded($"{metrics.Count:N0} metrics; the limit is {MaxMetrics} per version.");
            }

            if (metrics.Keys.FirstOrDefault(k => k.Length is 0 or > MaxKeyChars) is { } name)
            {
                throw Exceeded($"metric '{Shorten(name)}': names need 1 to {MaxKeyChars} characters.");
            }
        }

        if (featureNames is not null && (featureNames.Count > MaxFeatureNames || featureNames.Any(f => f is null || f.Length is 0 or > MaxFeatureNameChars)
            || featureNames.Sum(f => f.Length + 3) > MaxTotalChars))
        {
            throw Exceeded($"featureNames: at most {MaxFeatureNames:N0} names of 1 to {MaxFeatureNameChars:N0} characters, {MaxTotalChars:N0} characters in all.");
        }

        if (runId is { Length: > MaxRunIdChars })
        {
            throw Exceeded($"runId has {runId.Length:N0} characters; the limit is {MaxRunIdChars}.");
        }
    }

    public static FlywheelException Exceeded(string what) => new(ErrorKind.Unprocessable, ProblemTypes.LimitExceeded, $"Over a registry limit: {what}");

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
