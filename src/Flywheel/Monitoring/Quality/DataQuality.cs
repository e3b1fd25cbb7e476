using Flywheel.Contracts.Monitoring;
using Flywheel.Monitoring.Drift;

namespace Flywheel.Monitoring.Quality;

/// <summary>Data quality from the same samples drift reads; an issue is named when a rate moves past its limit.</summary>
public static class DataQuality
{
    /// <summary>How much the missing rate may rise (absolute) before it is an issue.</summary>
    public const double MissingRateRise = 0.05;

    /// <summary>The share of out-of-range numbers or unseen categories that is an issue.</summary>
    public const double RateLimit = 0.05;

    public static ColumnQuality Measure(string column, ColumnSample reference, ColumnSample current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        var referenceMissing = Rate(reference.Missing, reference.Cells);
        var currentMissing = Rate(current.Missing, current.Cells);
        double? outOfRange = null;
        double? unseen = null;
        if (reference.Numerical && reference.Rows > 0 && current.Rows > 0)
        {
            var (low, high) = (reference.Min, reference.Max);
            var outside = 0;
            foreach (var value in current.Numbers)
            {
                outside += value < low || value > high ? 1 : 0;
            }

            outOfRange = Rate(outside, current.Rows);
        }
        else if (!reference.Numerical && current.Rows > 0)
        {
            var counts = reference.Counts;
            unseen = Rate(current.Counts.Where(c => !counts.ContainsKey(c.Key)).Sum(c => c.Value), current.Rows);
        }

        var issues = new List<string>();
        if (current.TypeErrors > 0)
        {
            issues.Add($"{current.TypeErrors:N0} value(s) are not numbers");
        }

        if (current.Cells > 0 && currentMissing - referenceMissing > MissingRateRise)
        {
            issues.Add($"missing rate rose from {referenceMissing:P1} to {currentMissing:P1}");
        }

        if (outOfRange > RateLimit)
        {
            issues.Add($"{outOfRange:P1} of values outside the reference range");
        }

        if (unseen > RateLimit)
        {
            issues.Add($"{unseen:P1} of values are categories the reference never had");
        }

        return new ColumnQuality(column, reference.Numerical ? "numerical" : "categorical", current.Cells, referenceMissing, currentMissing, outOfRange, unseen, current.TypeErrors, issues);
    }

    private static double Rate(long count, long of) => of == 0 ? 0 : (double)count / of;
}
