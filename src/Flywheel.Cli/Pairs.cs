namespace Flywheel.Cli;

/// <summary>The KEY=VALUE form repeated options take (<c>--route 2=10</c>, <c>--tag team=risk</c>), split one way with one usage error.</summary>
internal static class Pairs
{
    /// <summary>Splits at the first '=' (so a value may hold '='); both sides must be non-empty, else exit 2 naming the option and an example.</summary>
    public static (string Key, string Value) Split(string text, string option, string example)
    {
        var parts = text.Split('=', 2, StringSplitOptions.TrimEntries);
        return parts is [{ Length: > 0 } key, { Length: > 0 } value]
            ? (key, value)
            : throw Malformed(text, option, example);
    }

    public static CliUsageException Malformed(string text, string option, string example) =>
        new($"{option} '{text}' is not {example}.");
}
