using Flywheel.Datasets.Profiling;

namespace Flywheel.Training;

/// <summary>How a feature column is fed to a trainer: as a number (missing values replaced by the mean) or one-hot as a category.</summary>
public enum FeatureKind
{
    Numeric,
    Categorical,
}

public sealed record FeatureSpec(string Name, FeatureKind Kind);

/// <summary>Picks how each feature is featurized from its profile, and which ones a trainer cannot use yet (with why).</summary>
public static class Featurization
{
    /// <summary>Most distinct values a text column may have to be one-hot encoded; more is an id or free text.</summary>
    public const int MaxCategories = 100;

    public static (IReadOnlyList<FeatureSpec> Used, IReadOnlyDictionary<string, string> Skipped) Choose(IReadOnlyList<string> features, IReadOnlyDictionary<string, ColumnProfile> profile)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(profile);
        var used = new List<FeatureSpec>();
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in features)
        {
            var column = profile[name];
            switch (column.Type)
            {
                case ColumnType.Integer or ColumnType.Float:
                    used.Add(new FeatureSpec(name, FeatureKind.Numeric));
                    break;
                case ColumnType.DateTime:
                    skipped[name] = "dates and times are not featurized yet";
                    break;
                case ColumnType.String or ColumnType.Boolean when column.Distinct > MaxCategories:
                    skipped[name] = $"text with {column.Distinct:N0} distinct values (more than {MaxCategories}: an id or free text)";
                    break;
                case ColumnType.String or ColumnType.Boolean when column.Count == 0:
                    skipped[name] = "no values";
                    break;
                default:
                    used.Add(new FeatureSpec(name, FeatureKind.Categorical));
                    break;
            }
        }

        return (used, skipped);
    }
}
