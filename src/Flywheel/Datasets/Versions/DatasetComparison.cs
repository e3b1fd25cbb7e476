using Flywheel.Contracts.Datasets;
using Flywheel.Datasets.Profiling;
using Flywheel.Statistics;

namespace Flywheel.Datasets.Versions;

/// <summary>Compares two versions of a dataset from their stored profiles: the <see cref="DatasetDiff"/> the API answers, and the PSI drift reads.</summary>
public static class DatasetComparison
{
    public static DatasetDiff Between(DatasetVersion from, DatasetVersion to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var columns = new Dictionary<string, ColumnDiff>(StringComparer.Ordinal);
        var before = from.Profile ?? new Dictionary<string, ColumnProfile>();
        var after = to.Profile ?? new Dictionary<string, ColumnProfile>();
        foreach (var name in (from.Columns ?? []).Union(to.Columns ?? []))
        {
            var a = before.GetValueOrDefault(name);
            var b = after.GetValueOrDefault(name);
            var statistics = new Dictionary<string, Change>
            {
                ["count"] = Of(a?.Count, b?.Count),
                ["missing"] = Of(a?.Missing, b?.Missing),
                ["missingRate"] = Of(MissingRate(a), MissingRate(b)),
                ["distinct"] = Of(a?.Distinct, b?.Distinct),
            };
            if (a?.Mean is not null || b?.Mean is not null)
            {
                statistics["mean"] = Of(a?.Mean, b?.Mean);
                statistics["std"] = Of(a?.Std, b?.Std);
                statistics["min"] = Of(Number(a?.Min), Number(b?.Min));
                statistics["max"] = Of(Number(a?.Max), Number(b?.Max));
            }

            var psi = a is null || b is null ? null : ColumnPsi(a, b);
            columns[name] = new ColumnDiff(Type(a), Type(b), statistics, psi, psi is null ? null : psi >= Psi.DefaultThreshold);
        }

        return new DatasetDiff(from.Dataset, from.Version, to.Version, Of(from.Rows, to.Rows),
            SchemaChangesOf(from, to), columns);
    }

    /// <summary>Numeric columns: the newer sketch binned on the older version's stored edges. Others: category shares.</summary>
    public static double? ColumnPsi(ColumnProfile reference, ColumnProfile current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (reference.Histogram is { } histogram && current.Sketch is { } sketch)
        {
            return Psi.Compute(histogram.Counts, QuantileSketch.FromData(sketch).Histogram(histogram.Edges));
        }

        if (reference.Top is { } top && current.Top is { } currentTop)
        {
            var categories = top.Select(v => v.Value).Union(currentTop.Select(v => v.Value)).ToList();
            long[] Counts(ColumnProfile profile, IReadOnlyList<ValueCount> values)
            {
                var byValue = values.ToDictionary(v => v.Value, v => v.Count, StringComparer.Ordinal);
                var counts = categories.Select(c => byValue.GetValueOrDefault(c)).ToList();
                counts.Add(Math.Max(profile.Count - byValue.Values.Sum(), 0)); // everything outside the tracked values
                return [.. counts];
            }

            return Psi.Compute(Counts(reference, top), Counts(current, currentTop));
        }

        return null;
    }

    private static IReadOnlyList<string> SchemaChangesOf(DatasetVersion from, DatasetVersion to) =>
        from.Schema is { } a && to.Schema is { } b ? Versions.SchemaChanges.Between(a, b) : [];

    // Profiles read back from JSON hold min/max as JSON elements (numbers, or ISO strings for datetimes).
    private static double? Number(object? value) => value switch
    {
        double d => d,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e => e.GetDouble(),
        _ => null,
    };

    private static string? Type(ColumnProfile? profile) => profile?.Type.ToString().ToLowerInvariant();

    private static double? MissingRate(ColumnProfile? profile) =>
        profile is null || profile.Count + profile.Missing == 0 ? null : (double)profile.Missing / (profile.Count + profile.Missing);

    private static Change Of(double? from, double? to) => new(from, to, from is null || to is null ? null : to - from);
}
