using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Monitoring;

namespace Flywheel.Monitoring.Drift;

/// <summary>Builds <see cref="DriftReport"/>s: each column compared with its method, then the verdicts summed up.</summary>
public static class DriftReports
{
    /// <summary>Compares each column's samples (with its method: "auto" or a named one) and sums the verdicts up; a method that does not fit a column stays the caller's 400.</summary>
    /// <param name="referenceSample">Column i's reference sample, asked for when its test runs (so only the columns in flight need be held decoded).</param>
    public static DriftReport Of(DriftSide reference, DriftSide current, IReadOnlyList<(string Name, bool Numerical)> columns, Func<int, ColumnSample> referenceSample, Func<int, ColumnSample> currentSample,
        Func<string, Histogram?> bins, Func<string, string> method, double? threshold, IReadOnlyDictionary<string, string> skipped, CancellationToken cancellationToken,
        int? topCategories = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(bins);
        ArgumentNullException.ThrowIfNull(method);
        var results = new ColumnDrift[columns.Count];
        try
        {
            // Columns are independent.
            Parallel.For(0, columns.Count, new ParallelOptions { CancellationToken = cancellationToken },
                i => results[i] = DriftDetection.Detect(columns[i].Name, referenceSample(i), currentSample(i), method(columns[i].Name), threshold, bins(columns[i].Name), topCategories));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.OfType<FlywheelException>().FirstOrDefault() is { } refused)
        {
            // A method that does not fit a column is the caller's mistake: answer it as one, not as a parallel loop's failure.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(refused).Throw();
        }

        return Summarize(reference, current, results, skipped);
    }

    /// <summary>Orders the verdicts (most drifted first) and sums them up.</summary>
    /// <param name="driftShare">The share of drifted columns at which the whole set drifts.</param>
    public static DriftReport Summarize(DriftSide reference, DriftSide current, IEnumerable<ColumnDrift> results, IReadOnlyDictionary<string, string> skipped, string? note = null,
        double driftShare = DriftDetection.DriftShare)
    {
        var ordered = results
            .OrderByDescending(r => r.Drifted)
            .ThenByDescending(r => r.Method is "ks" or "chisquare" or "z" ? 1 - r.Score : r.Score / r.Threshold)
            .ThenBy(r => r.Column, StringComparer.Ordinal)
            .ToList();
        var drifted = ordered.Count(r => r.Drifted);
        var share = ordered.Count == 0 ? 0 : (double)drifted / ordered.Count;
        return new DriftReport(reference, current, ordered.Count, drifted, share, driftShare, ordered.Count > 0 && share >= driftShare, ordered, skipped, note);
    }
}
