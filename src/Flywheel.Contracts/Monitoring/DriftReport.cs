namespace Flywheel.Contracts.Monitoring;

/// <summary>One side of a comparison: a dataset version (name, version, sha256) or a model's logged predictions over a window (name = the model, <see cref="From"/>-<see cref="To"/>), and how many rows it has.</summary>
public sealed record DriftSide(string Name, int? Version, string? Sha256, long Rows, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>
/// A drift report: both sides, each compared column's verdict (most drifted first: p-values
/// ascending, distances descending relative to their threshold), the columns left out with why,
/// and the dataset verdict (drift when at least the share threshold of the
/// columns drifted).
/// </summary>
public sealed record DriftReport(
    DriftSide Reference,
    DriftSide Current,
    int Columns,
    int DriftedColumns,
    double Share,
    double ShareThreshold,
    bool DatasetDrift,
    IReadOnlyList<ColumnDrift> ColumnResults,
    IReadOnlyDictionary<string, string> Skipped,
    string? Note = null);
