namespace Flywheel.Errors;

/// <summary>A body or file is larger than the configured limit; the problem names the limit.</summary>
public sealed class TooLargeException(long maxBytes)
    : FlywheelException(ErrorKind.TooLarge, "too-large", $"The limit is {maxBytes:N0} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
