using Flywheel.Contracts.Errors;

namespace Flywheel.Errors;

/// <summary>A body or file is larger than the configured limit; the problem names the limit (<c>maxBytes</c>).</summary>
public sealed class TooLargeException : FlywheelException
{
    public TooLargeException(long maxBytes)
        : base(ErrorKind.TooLarge, ProblemTypes.TooLarge, $"The limit is {maxBytes:N0} bytes.")
    {
        MaxBytes = maxBytes;
        Extensions = new Dictionary<string, object?> { ["maxBytes"] = maxBytes };
    }

    public long MaxBytes { get; }
}
