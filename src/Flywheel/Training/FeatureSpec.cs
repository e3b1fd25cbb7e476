using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Training;

namespace Flywheel.Training;

/// <summary>When text is one-hot encoded and when it is hashed (section <c>Flywheel:Training</c>).</summary>
public sealed class FeaturizationOptions
{
    public const string SectionName = "Flywheel:Training";

    /// <summary>Most distinct values a text column may have to be one-hot encoded; more is hashed.</summary>
    [System.ComponentModel.DataAnnotations.Range(2, 100_000)]
    public int MaxCategories { get; set; } = 100;

    /// <summary>Bits of the hash a high-cardinality text column is one-hot encoded over (2^bits slots).</summary>
    [System.ComponentModel.DataAnnotations.Range(4, 20)]
    public int HashBits { get; set; } = 10;

    /// <summary>A text column left to the default feature list is taken for an id (and skipped), and an integer label filling its range for one (a 422 unless the task is regression), when at least this share of its values are distinct.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double IdDistinctShare { get; set; } = 0.9;
}

/// <summary>
/// Picks how each feature is featurized from its profile. A column the request names is never
/// dropped: it is featurized, or the request is refused naming it. Of the columns taken by default
/// (every column but the label and the excluded), those no trainer can use (dates, empty columns,
/// ids) are skipped, each with the reason, which the plan, the run and the report list.
/// </summary>
public static class Featurization
{
    public static (IReadOnlyList<FeatureSpec> Used, IReadOnlyDictionary<string, string> Skipped) Choose(
        IReadOnlyList<string> features, bool named, IReadOnlyDictionary<string, ColumnProfile> profile, FeaturizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(options);
        var used = new List<FeatureSpec>();
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        void Skip(string name, string why)
        {
            if (named)
            {
                throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.InvalidTrainingData,
                    $"Feature '{name}' cannot be used: {why}. Take it out of features (or derive a usable column from it).")
                {
                    Extensions = new Dictionary<string, object?> { ["column"] = name },
                };
            }

            skipped[name] = why;
        }

        foreach (var name in features)
        {
            var column = profile[name];
            switch (column.Type)
            {
                case ColumnType.Integer or ColumnType.Float:
                    used.Add(new FeatureSpec(name, FeatureKind.Numeric));
                    break;
                case ColumnType.DateTime:
                    Skip(name, "dates and times are not featurized yet");
                    break;
                case ColumnType.String or ColumnType.Boolean when column.Count == 0:
                    Skip(name, "no values");
                    break;
                case ColumnType.String or ColumnType.Boolean when column.Distinct <= options.MaxCategories:
                    used.Add(new FeatureSpec(name, FeatureKind.Categorical));
                    break;
                case ColumnType.String or ColumnType.Boolean when !named && column.Distinct >= options.IdDistinctShare * column.Count:
                    skipped[name] = $"text with {column.Distinct:N0} distinct values in {column.Count:N0} rows (an id or free text; name it in features to have it hashed)";
                    break;
                default:
                    used.Add(new FeatureSpec(name, FeatureKind.Hashed, options.HashBits));
                    break;
            }
        }

        return (used, skipped);
    }
}
