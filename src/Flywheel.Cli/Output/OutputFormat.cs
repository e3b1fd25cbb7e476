namespace Flywheel.Cli.Output;

/// <summary>How results are written: tables for a person, or the contract records as JSON for a script.</summary>
public enum OutputFormat
{
    Table,
    Json,
}
