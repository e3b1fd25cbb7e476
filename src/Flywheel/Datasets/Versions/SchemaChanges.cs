using Flywheel.Contracts.Datasets;

namespace Flywheel.Datasets.Versions;

/// <summary>Column-level differences between two schemas, as sentences a person can act on.</summary>
public static class SchemaChanges
{
    public static IReadOnlyList<string> Between(IReadOnlyList<SchemaColumn> before, IReadOnlyList<SchemaColumn> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var old = before.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var now = after.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var changes = new List<string>();
        changes.AddRange(after.Where(c => !old.ContainsKey(c.Name)).Select(c => $"column '{c.Name}' added ({Name(c.Type)})"));
        changes.AddRange(before.Where(c => !now.ContainsKey(c.Name)).Select(c => $"column '{c.Name}' removed"));
        changes.AddRange(after.Where(c => old.TryGetValue(c.Name, out var o) && o.Type != c.Type)
            .Select(c => $"column '{c.Name}' retyped from {Name(old[c.Name].Type)} to {Name(c.Type)}"));
        return changes;
    }

    /// <summary>The first changes that fit in <paramref name="maxChars"/>, then one line counting the rest (the diff route lists them all).</summary>
    public static IReadOnlyList<string> Summarize(IReadOnlyList<string> changes, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var kept = new List<string>();
        var used = 0;
        foreach (var change in changes)
        {
            used += change.Length + 4;
            if (used > maxChars)
            {
                kept.Add($"and {changes.Count - kept.Count:N0} more schema changes: GET the diff against the previous version for all of them");
                break;
            }

            kept.Add(change);
        }

        return kept;
    }

    private static string Name(ColumnType type) => type.ToString().ToLowerInvariant();
}
