namespace Flywheel.Cli;

/// <summary>An argument the parser accepted but the command cannot use (a malformed --route, unreadable --json): exit 2.</summary>
public sealed class CliUsageException : Exception
{
    public CliUsageException()
    {
    }

    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
