using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Monitoring;
using Flywheel.Statistics;

namespace Flywheel.Monitoring.Drift;

/// <summary>
/// Evidently's default drift tests, chosen per column by the reference's size and the column's
/// values, or one method for every column when asked. Up to 1,000 reference rows: a numerical
/// column with more than 5 distinct values (both samples together) gets the two-sample KS test
/// (drift when p ≤ 0.05); any other column the chi-square test (p &lt; 0.05), or a proportions Z-test
/// when it has at most 2 values. Above 1,000 rows: numerical with more than 5 values gets the
/// Wasserstein distance normed by the reference's standard deviation (≥ 0.1); the rest the
/// Jensen-Shannon distance (≥ 0.1). PSI (≥ 0.1) on the reference's histogram bins on request.
/// </summary>
public static class DriftDetection
{
    public const int SmallReference = 1_000;
    public const int FewValues = 5;
    public const double DriftShare = 0.5;

    public static IReadOnlyList<string> Methods { get; } = ["auto", "ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi"];

    /// <summary>
    /// Why <paramref name="method"/> does not fit a column of this kind with about
    /// <paramref name="distinct"/> values, or null when it does (<c>auto</c> and <c>psi</c> fit every
    /// column). Checked where the column's profile is known, before a run, because a misfit does not
    /// fail: the Z-test compares one value's share and misses a shift among others, and the
    /// category-share tests read a many-valued number as unrelated categories.
    /// </summary>
    /// <param name="distinct">The column's distinct values (the profile's estimate).</param>
    public static string? Misfit(string method, bool numerical, long distinct) => method switch
    {
        "ks" or "wasserstein" when !numerical => "compares numbers and the column is categorical: use chisquare, z (two values), jensenshannon or psi",
        "z" when distinct > 2 => $"compares the share of one of two values and the column has {distinct:N0}: use {(numerical ? "ks, wasserstein or psi" : "chisquare, jensenshannon or psi")}",
        "chisquare" or "jensenshannon" when numerical && distinct > FewValues =>
            $"compares category shares and the column is numerical with {distinct:N0} distinct values (more than {FewValues}): use ks, wasserstein or psi",
        _ => null,
    };

    /// <summary>
    /// A drift threshold as asked: null (each method's default) or a positive finite number. Zero or
    /// below would call any data "no drift" for a distance and is meaningless for a p-value.
    /// </summary>
    public static double? CheckThreshold(double? threshold) =>
        threshold is null || (double.IsFinite(threshold.Value) && threshold > 0)
            ? threshold
            : throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidThreshold, $"threshold must be a positive number; it is {threshold.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");

    public static string Choose(ColumnSample reference, ColumnSample current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        var manyValues = reference.Numerical && (reference.ManyValues || current.ManyValues || reference.Counts.Keys.Union(current.Counts.Keys).Count() > FewValues);
        var distinct = reference.Counts.Keys.Union(current.Counts.Keys).Count();
        if (reference.Rows <= SmallReference)
        {
            return manyValues ? "ks" : distinct > 2 ? "chisquare" : "z";
        }

        return manyValues ? "wasserstein" : "jensenshannon";
    }

    /// <param name="bins">The reference profile's histogram edges, for PSI on a numerical column.</param>
    /// <param name="topCategories">When set, a categorical column with more values in the reference is compared on its most frequent ones plus <see cref="ColumnSample.Other"/>.</param>
    public static ColumnDrift Detect(string column, ColumnSample reference, ColumnSample current, string method, double? threshold, Histogram? bins, int? topCategories = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (!reference.Numerical && topCategories is { } top && reference.Counts.Count > top)
        {
            var keep = reference.Counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(top).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            (reference, current) = (reference.TopAndOther(keep), current.TopAndOther(keep));
        }

        var type = reference.Numerical ? "numerical" : "categorical";
        if (method == "auto")
        {
            method = Choose(reference, current);
        }

        if ((method is "chisquare" or "z" or "jensenshannon" || (method == "psi" && bins is null)) && (reference.ManyValues || current.ManyValues))
        {
            throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidMethod, $"'{method}' compares category shares; column '{column}' has more than {ColumnSample.NumericalCountLimit} distinct numbers: use ks, wasserstein or psi.");
        }

        if ((method is "ks" or "wasserstein") && !reference.Numerical)
        {
            throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidMethod, $"'{method}' compares numbers; column '{column}' is categorical: use chisquare, z, jensenshannon or psi.");
        }

        var (score, limit, drifted) = method switch
        {
            "ks" => PValue(KolmogorovSmirnov.TwoSampleSorted(reference.Sorted, current.Sorted).PValue, threshold ?? 0.05, inclusive: true),
            "chisquare" => PValue(ChiSquare.Test(reference.Counts, current.Counts).PValue, threshold ?? 0.05, inclusive: false),
            "z" => PValue(ProportionsZ.Test(reference.Counts, current.Counts).PValue, threshold ?? 0.05, inclusive: false),
            "wasserstein" => Distance(Wasserstein.NormedSorted(reference.Sorted, current.Sorted), threshold ?? 0.1),
            "jensenshannon" => Distance(JensenShannon.Distance(reference.Counts, current.Counts), threshold ?? 0.1),
            "psi" => Distance(Population(reference, current, bins), threshold ?? Psi.DefaultThreshold),
            _ => throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidMethod, $"'{method}' is not a drift method: use {string.Join(", ", Methods)}."),
        };
        // PSI rides along with every method: binning costs one pass and users compare it across reports.
        double? psi = method == "psi" ? score
            : (reference.Numerical && bins is { Edges.Count: > 1 }) || !(reference.ManyValues || current.ManyValues) ? Population(reference, current, bins)
            : null;
        return new ColumnDrift(column, type, method, limit, score, drifted, reference.Rows, current.Rows, Histogram(reference, current), psi);
    }

    public const int HistogramBins = 20;
    public const int HistogramCategories = 12;

    private static ColumnHistogram Histogram(ColumnSample reference, ColumnSample current)
    {
        if (reference.Numerical && (reference.ManyValues || current.ManyValues || reference.Counts.Keys.Union(current.Counts.Keys).Count() > HistogramCategories))
        {
            var low = Math.Min(reference.Min, current.Min);
            var high = Math.Max(reference.Max, current.Max);
            var width = high > low ? (high - low) / HistogramBins : 1;
            double[] Shares(ReadOnlySpan<double> values)
            {
                var counts = new double[HistogramBins];
                foreach (var value in values)
                {
                    counts[Math.Min(HistogramBins - 1, (int)((value - low) / width))]++;
                }

                for (var i = 0; i < counts.Length; i++)
                {
                    counts[i] /= values.Length;
                }

                return counts;
            }

            var labels = Enumerable.Range(0, HistogramBins).Select(i => (low + (i * width)).ToString("G4", System.Globalization.CultureInfo.InvariantCulture)).ToList();
            return new ColumnHistogram(labels, Shares(reference.Numbers), Shares(current.Numbers));
        }

        var top = reference.Counts.Keys.Union(current.Counts.Keys)
            .OrderByDescending(k => reference.Counts.GetValueOrDefault(k)).ThenByDescending(k => current.Counts.GetValueOrDefault(k)).ThenBy(k => k, StringComparer.Ordinal)
            .Take(HistogramCategories).ToList();
        List<double> Categories(ColumnSample side)
        {
            var shares = top.Select(k => (double)side.Counts.GetValueOrDefault(k) / side.Rows).ToList();
            shares.Add(Math.Max(0, 1 - shares.Sum()));
            return shares;
        }

        return new ColumnHistogram([.. top, "other"], Categories(reference), Categories(current), Categorical: true);
    }

    private static (double, double, bool) PValue(double p, double threshold, bool inclusive) => (p, threshold, inclusive ? p <= threshold : p < threshold);

    private static (double, double, bool) Distance(double distance, double threshold) => (distance, threshold, distance >= threshold);

    /// <summary>PSI over the reference's histogram bins (values outside them fall in the edge bins), or over the categories.</summary>
    private static double Population(ColumnSample reference, ColumnSample current, Histogram? bins)
    {
        if (!reference.Numerical || bins is not { Edges.Count: > 1 })
        {
            var keys = reference.Counts.Keys.Union(current.Counts.Keys).Order(StringComparer.Ordinal).ToList();
            return Psi.Compute([.. keys.Select(k => reference.Counts.GetValueOrDefault(k))], [.. keys.Select(k => current.Counts.GetValueOrDefault(k))]) ?? 0;
        }

        var edges = bins.Edges.ToArray();
        return Psi.Compute(Bin(reference.Numbers, edges), Bin(current.Numbers, edges)) ?? 0;
    }

    /// <summary>Counts values into the bins, in any order (values below the first edge or above the last fall in the edge bins; a value on an inner edge in the bin it starts).</summary>
    private static long[] Bin(ReadOnlySpan<double> values, double[] edges)
    {
        var counts = new long[edges.Length - 1];
        var inner = edges.AsSpan(1, edges.Length - 2);
        foreach (var value in values)
        {
            // The bin is the number of inner edges at or below the value (an upper bound search: repeated edges count each).
            int low = 0, high = inner.Length;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (inner[middle] <= value)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            counts[low]++;
        }

        return counts;
    }
}
