using Flywheel.Datasets.Contracts;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Profiling;
using Flywheel.Datasets.Versions;
using Flywheel.Errors;

namespace Flywheel.Monitoring.Drift;

/// <summary>One side of a comparison: a dataset version (name, version, sha256) or a model's logged predictions over a window (name = the model, <see cref="From"/>-<see cref="To"/>), and how many rows it has.</summary>
public sealed record DriftSide(string Name, int? Version, string? Sha256, long Rows, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>
/// A drift report: both sides, each compared column's verdict (most drifted first: p-values
/// ascending, distances descending relative to their threshold), the columns left out with why,
/// and the dataset verdict (drift when at least <see cref="DriftDetection.DriftShare"/> of the
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
    string? Note = null)
{
    /// <summary>Compares each column's samples (with its method: "auto" or a named one) and sums the verdicts up; a method that does not fit a column stays the caller's 400.</summary>
    public static DriftReport Of(DriftSide reference, DriftSide current, IReadOnlyList<(string Name, bool Numerical)> columns, ColumnSample[] referenceSamples, ColumnSample[] currentSamples,
        Func<string, Histogram?> bins, Func<string, string> method, double? threshold, IReadOnlyDictionary<string, string> skipped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(bins);
        ArgumentNullException.ThrowIfNull(method);
        var results = new ColumnDrift[columns.Count];
        try
        {
            // Columns are independent; sorting their numbers is most of the cost.
            Parallel.For(0, columns.Count, new ParallelOptions { CancellationToken = cancellationToken },
                i => results[i] = DriftDetection.Detect(columns[i].Name, referenceSamples[i], currentSamples[i], method(columns[i].Name), threshold, bins(columns[i].Name)));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.OfType<FlywheelException>().FirstOrDefault() is { } refused)
        {
            // A method that does not fit a column is the caller's mistake: answer it as one, not as a parallel loop's failure.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(refused).Throw();
        }

        return Summarize(reference, current, results, skipped);
    }

    /// <summary>Orders the verdicts (most drifted first) and sums them up.</summary>
    public static DriftReport Summarize(DriftSide reference, DriftSide current, IEnumerable<ColumnDrift> results, IReadOnlyDictionary<string, string> skipped, string? note = null)
    {
        var ordered = results
            .OrderByDescending(r => r.Drifted)
            .ThenByDescending(r => r.Method is "ks" or "chisquare" or "z" ? 1 - r.Score : r.Score / r.Threshold)
            .ThenBy(r => r.Column, StringComparer.Ordinal)
            .ToList();
        var drifted = ordered.Count(r => r.Drifted);
        var share = ordered.Count == 0 ? 0 : (double)drifted / ordered.Count;
        return new DriftReport(reference, current, ordered.Count, drifted, share, DriftDetection.DriftShare, ordered.Count > 0 && share >= DriftDetection.DriftShare, ordered, skipped, note);
    }
}

/// <summary>
/// Dataset version against dataset version (<c>GET api/datasets/{name}/drift?reference=1&amp;current=2</c>):
/// reads the columns both versions share from their stored content (exact tests need the values,
/// not the profile's sketches), then runs <see cref="DriftDetection"/> on each.
/// </summary>
public sealed class DatasetDrift(DatasetQueries datasets, DatasetCatalog catalog, DatasetBlobs blobs, ColumnSampleCache cache)
{
    public async Task<DriftReport> CompareAsync(string name, VersionReference reference, VersionReference current, string method, double? threshold, CancellationToken cancellationToken)
    {
        var referenceVersion = await datasets.GetAsync(name, reference, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, "not-found", $"Dataset '{name}' has no version '{reference}'.");
        var currentVersion = await datasets.GetAsync(name, current, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, "not-found", $"Dataset '{name}' has no version '{current}'.");
        if (!DriftDetection.Methods.Contains(method))
        {
            throw new FlywheelException(ErrorKind.InvalidInput, "invalid-method", $"'{method}' is not a drift method: use {string.Join(", ", DriftDetection.Methods)}.");
        }

        var referenceProfile = referenceVersion.Profile ?? throw Unprocessable(name, referenceVersion.Version);
        var currentProfile = currentVersion.Profile ?? throw Unprocessable(name, currentVersion.Version);
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        var columns = new List<(string Name, bool Numerical)>();
        foreach (var (column, profile) in referenceProfile.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!currentProfile.TryGetValue(column, out var other))
            {
                skipped[column] = $"not a column of version {currentVersion.Version}";
            }
            else if (profile.Type == ColumnType.DateTime)
            {
                skipped[column] = "dates and times are not compared";
            }
            else if (profile.Count == 0 || other.Count == 0)
            {
                skipped[column] = "no values on one side";
            }
            else
            {
                columns.Add((column, profile.Type is ColumnType.Integer or ColumnType.Float && other.Type is ColumnType.Integer or ColumnType.Float));
            }
        }

        foreach (var column in currentProfile.Keys.Where(c => !referenceProfile.ContainsKey(c)))
        {
            skipped[column] = $"not a column of version {referenceVersion.Version}";
        }

        // Both versions are read at once and the columns compared in parallel: parsing and sorting are the cost, and they are independent.
        var sides = await Task.WhenAll(
            Task.Run(() => ReadAsync(name, referenceVersion, columns, cancellationToken), cancellationToken),
            Task.Run(() => ReadAsync(name, currentVersion, columns, cancellationToken), cancellationToken)).ConfigureAwait(false);
        return DriftReport.Of(
            new DriftSide(name, referenceVersion.Version, referenceVersion.Sha256, referenceVersion.Rows),
            new DriftSide(name, currentVersion.Version, currentVersion.Sha256, currentVersion.Rows),
            columns, sides[0], sides[1], c => referenceProfile[c].Histogram, _ => method, threshold, skipped, cancellationToken);
    }

    /// <summary>
    /// The columns' values in a dataset version's stored content, missing cells by the dataset's
    /// markers (as profiling counted them); columns read before come from the cache, the rest from
    /// one pass over the content.
    /// </summary>
    public async Task<ColumnSample[]> ReadAsync(string name, DatasetVersion version, IReadOnlyList<(string Name, bool Numerical)> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(columns);
        var samples = columns.Select(c => cache.Get(version.Sha256, c.Name, c.Numerical)).ToArray();
        var missing = Enumerable.Range(0, columns.Count).Where(i => samples[i] is null).ToList();
        if (missing.Count == 0)
        {
            return samples!;
        }

        var markers = (await catalog.MissingMarkersAsync(name, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var read = missing.Select(i => new ColumnSample(columns[i].Numerical, version.Rows)).ToArray();
        var content = await blobs.ContentAsync(name, version.Sha256, cancellationToken).ConfigureAwait(false);
        await DatasetRows.ReadCellsAsync(content, version.Format, [.. missing.Select(i => columns[i].Name)], markers,
            (column, utf8, isMissing) => read[column].Add(utf8, isMissing), cancellationToken).ConfigureAwait(false);
        for (var m = 0; m < missing.Count; m++)
        {
            samples[missing[m]] = read[m];
            cache.Add(version.Sha256, columns[missing[m]].Name, read[m]);
        }

        return samples!;
    }

    private static FlywheelException Unprocessable(string name, int version) =>
        new(ErrorKind.Unprocessable, "no-profile", $"Dataset '{name}' version {version} has no stored profile to compare.");
}
