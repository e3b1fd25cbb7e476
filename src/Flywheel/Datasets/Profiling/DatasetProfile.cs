namespace Flywheel.Datasets.Profiling;

/// <summary>The schema entry of one column.</summary>
public sealed record SchemaColumn(string Name, ColumnType Type, bool Nullable, bool Categorical);

/// <summary>Everything one pass over a file learned: its shape, schema and per-column profile.</summary>
public sealed record DatasetProfile(
    string Format,
    long Rows,
    IReadOnlyList<SchemaColumn> Schema,
    IReadOnlyDictionary<string, ColumnProfile> Columns);
