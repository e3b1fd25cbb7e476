using System.CommandLine;
using Flywheel.Cli.Output;

namespace Flywheel.Cli;

/// <summary>The options every command takes (declared once on the root, recursive); one set per parser, since an option knows its parents.</summary>
internal sealed class GlobalOptions
{
    public const string UrlVariable = "FLYWHEEL_URL";
    public const string KeyVariable = "FLYWHEEL_KEY";

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"Flywheel's address [env: {UrlVariable}; default: http://localhost:7071]",
        Recursive = true,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = $"The function key (Azure) or API key (local) [env: {KeyVariable}]",
        Recursive = true,
    };

    public Option<OutputFormat?> Output { get; } = new("--output", "-o")
    {
        HelpName = "table|json",
        Description = "table or json [default: table on a terminal, json when stdout is redirected]",
        Recursive = true,
    };

    public Option<bool> NoProgress { get; } = new("--no-progress")
    {
        Description = "Draw no progress bars or live status (they are drawn only on a terminal anyway)",
        Recursive = true,
    };
}
