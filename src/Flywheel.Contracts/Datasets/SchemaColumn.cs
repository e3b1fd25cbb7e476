namespace Flywheel.Contracts.Datasets;

/// <summary>The schema entry of one column.</summary>
public sealed record SchemaColumn(string Name, ColumnType Type, bool Nullable, bool Categorical);
