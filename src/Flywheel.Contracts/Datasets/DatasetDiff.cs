namespace Flywheel.Contracts.Datasets;

/// <summary>How a statistic moved between two versions.</summary>
public sealed record Change(double? From, double? To, double? Delta);

public sealed record ColumnDiff(string? TypeFrom, string? TypeTo, IReadOnlyDictionary<string, Change> Statistics, double? Psi, bool? Drifted);

/// <summary>What changed between two versions of a dataset: schema, row count, per-column statistics and PSI.</summary>
public sealed record DatasetDiff(
    string Dataset,
    int From,
    int To,
    Change Rows,
    IReadOnlyList<string> SchemaChanges,
    IReadOnlyDictionary<string, ColumnDiff> Columns);
