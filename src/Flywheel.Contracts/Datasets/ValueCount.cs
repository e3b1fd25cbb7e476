namespace Flywheel.Contracts.Datasets;

public sealed record ValueCount(string Value, long Count);
