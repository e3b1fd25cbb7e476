using System.Text.RegularExpressions;

namespace Flywheel;

/// <summary>Dataset and model names: 3-63 lowercase letters, digits and '-', so they are valid blob prefixes and table keys everywhere.</summary>
public static partial class ResourceName
{
    public const string Rule = "3-63 characters: lowercase letters, digits and '-'";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9-]{3,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
