namespace Flywheel.Contracts.Datasets;

/// <summary>What a dataset version records about one column; drift detection and training read it back.</summary>
public sealed record ColumnProfile
{
    public required ColumnType Type { get; init; }

    public required bool Nullable { get; init; }

    public required bool Categorical { get; init; }

    /// <summary>Non-missing values.</summary>
    public required long Count { get; init; }

    public required long Missing { get; init; }

    /// <summary>HyperLogLog estimate of distinct non-missing values.</summary>
    public required long Distinct { get; init; }

    public double? Mean { get; init; }

    /// <summary>Sample standard deviation (n - 1), as pandas reports it.</summary>
    public double? Std { get; init; }

    /// <summary>Numeric minimum, or the earliest instant (ISO 8601) for datetime columns.</summary>
    public object? Min { get; init; }

    public object? Max { get; init; }

    /// <summary>Quantile (as "0.5") to value, from a DDSketch with 1% relative error.</summary>
    public IReadOnlyDictionary<string, double>? Quantiles { get; init; }

    public Histogram? Histogram { get; init; }

    public IReadOnlyList<ValueCount>? Top { get; init; }

    /// <summary>False when the column had more distinct values than are tracked exactly: top counts are then lower bounds.</summary>
    public bool? TopExact { get; init; }

    /// <summary>The mergeable quantile sketch, kept so later comparisons can bin this column on any edges.</summary>
    public SketchData? Sketch { get; init; }
}

/// <summary>Bin edges (ascending, one more than the counts) and the count in each bin.</summary>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts);
