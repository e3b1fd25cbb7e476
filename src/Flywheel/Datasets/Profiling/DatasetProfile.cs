using Flywheel.Contracts.Datasets;

namespace Flywheel.Datasets.Profiling;

/// <summary>Everything one pass over a file learned: its shape, schema and per-column profile.</summary>
public sealed record DatasetProfile(
    string Format,
    long Rows,
    IReadOnlyList<SchemaColumn> Schema,
    IReadOnlyDictionary<string, ColumnProfile> Columns);
