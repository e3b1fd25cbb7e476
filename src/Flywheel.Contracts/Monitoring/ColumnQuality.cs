namespace Flywheel.Contracts.Monitoring;

/// <summary>
/// One column's data quality in the window against the reference (Azure ML model monitoring's
/// signals): missing rate on both sides, the share of numbers outside the reference's min–max, the
/// share of categories the reference never had, and cells of a numerical column that are not numbers.
/// </summary>
public sealed record ColumnQuality(
    string Column,
    string Type,
    long Cells,
    double ReferenceMissingRate,
    double CurrentMissingRate,
    double? OutOfRangeRate,
    double? UnseenRate,
    long TypeErrors,
    IReadOnlyList<string> Issues);
