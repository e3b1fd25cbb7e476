namespace Flywheel.Contracts.Datasets;

/// <summary>A quantile sketch as stored in a dataset profile.</summary>
public sealed record SketchData(double Accuracy, long Zero, BucketData Positive, BucketData Negative);

public sealed record BucketData(int Offset, long[] Counts);
