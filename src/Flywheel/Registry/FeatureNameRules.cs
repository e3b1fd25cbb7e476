namespace Flywheel.Registry;

/// <summary>What makes a list of feature names (registered, or a batch request's columns) usable to bind a matrix input by name.</summary>
public static class FeatureNameRules
{
    /// <summary>The names listed more than once, quoted, in order of first appearance (at most 20): each names one position, so each may appear once.</summary>
    public static IReadOnlyList<string> Repeated(IEnumerable<string> names) =>
        [.. names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Skip(1).Any()).Take(20).Select(g => $"'{g.Key}'")];
}
