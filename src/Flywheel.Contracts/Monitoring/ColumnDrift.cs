namespace Flywheel.Contracts.Monitoring;

/// <summary>Both sides' shares per bin (numbers: equal-width bins over both sides' range, labelled with where each starts) or per category (the most frequent in the reference, the rest as "other").</summary>
/// <param name="Categorical">Whether the labels name categories (each drawn under its bar) rather than bin starts (drawn as a scale).</param>
public sealed record ColumnHistogram(IReadOnlyList<string> Labels, IReadOnlyList<double> Reference, IReadOnlyList<double> Current, bool Categorical = false);

/// <summary>One column's verdict: the method, its threshold, the score (a p-value for tests, a distance otherwise), whether it drifted, and both sides' distributions.</summary>
public sealed record ColumnDrift(
    string Column,
    string Type,
    string Method,
    double Threshold,
    double Score,
    bool Drifted,
    long ReferenceRows,
    long CurrentRows,
    ColumnHistogram Histogram,
    double? Psi = null);
