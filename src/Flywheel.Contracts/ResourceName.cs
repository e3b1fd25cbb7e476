using System.Text.RegularExpressions;
using Flywheel.Contracts.Errors;

namespace Flywheel.Contracts;

/// <summary>Dataset and model names: 3-63 lowercase letters, digits and '-', so they are valid blob prefixes and table keys everywhere.</summary>
public static partial class ResourceName
{
    public const string Rule = "3-63 characters: lowercase letters, digits and '-'";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>
    /// <paramref name="name"/> when valid, else the invalid-name error (a 400). Names in request bodies
    /// go through this as route names do: they become storage paths too ("../x" would reach storage).
    /// </summary>
    /// <param name="kind">"dataset" or "model", as the message names it.</param>
    public static string Check(string kind, string? name) =>
        IsValid(name) ? name! : throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidName, $"'{name}' is not a valid {kind} name: use {Rule}.");

    [GeneratedRegex("^[a-z0-9-]{3,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
