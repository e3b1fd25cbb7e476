namespace Flywheel.Contracts.Errors;

/// <summary>A failure with its <see cref="ErrorKind"/>, a stable <see cref="Code"/> (the problem type) and a message a person can act on.</summary>
public class FlywheelException(ErrorKind kind, string code, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public ErrorKind Kind { get; } = kind;

    /// <summary>The problem type slug, one of <see cref="ProblemTypes"/>; clients switch on it.</summary>
    public string Code { get; } = code;

    /// <summary>Extra members of the problem body (a limit, a report).</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();
}
