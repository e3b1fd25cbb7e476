namespace Flywheel.Client;

/// <summary>How much of an upload or download has gone: <see cref="Total"/> is null when the length is not known up front.</summary>
public readonly record struct TransferProgress(long Bytes, long? Total)
{
    /// <summary>The share done, 0 to 1, when the total is known.</summary>
    public double? Fraction => Total is > 0 and var total ? (double)Bytes / total : null;
}
