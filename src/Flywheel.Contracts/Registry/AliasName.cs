using System.Text.RegularExpressions;
using Flywheel.Contracts;

namespace Flywheel.Contracts.Registry;

/// <summary>Alias names (champion, challenger, staging-eu...): a letter, then letters, digits, '-' or '_', at most 63.</summary>
public static partial class AliasName
{
    /// <summary>The alias a model serves by default and a training pipeline promotes to.</summary>
    public const string Champion = "champion";

    public const string Rule = "a letter, then up to 62 letters, digits, '-' or '_'";

    public static bool IsValid(string? alias) => alias is not null && Pattern().IsMatch(alias) && !string.Equals(alias, VersionReference.LatestText, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
