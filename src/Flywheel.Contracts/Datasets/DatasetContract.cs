namespace Flywheel.Contracts.Datasets;

/// <summary>
/// What every version of a dataset must satisfy. Columns listed are required; a file that breaks
/// any rule is quarantined instead of versioned.
/// </summary>
public sealed record DatasetContract
{
    public IReadOnlyDictionary<string, ColumnRule> Columns { get; init; } = new Dictionary<string, ColumnRule>();

    public long? MinRows { get; init; }

    /// <summary>Applies to every column without its own <see cref="ColumnRule.MaxMissingRate"/>.</summary>
    public double? MaxMissingRate { get; init; }

    /// <summary>Cells that count as missing; <see cref="DefaultMissingMarkers"/> when unset.</summary>
    public IReadOnlyList<string>? MissingMarkers { get; init; }

    public bool AllowExtraColumns { get; init; } = true;

    public static IReadOnlyList<string> DefaultMissingMarkers { get; } = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?"];

    public static DatasetContract None { get; } = new();
}

public sealed record ColumnRule
{
    public ColumnType? Type { get; init; }

    public bool Nullable { get; init; } = true;

    public double? Min { get; init; }

    public double? Max { get; init; }

    public IReadOnlyList<string>? Allowed { get; init; }

    public double? MaxMissingRate { get; init; }
}
