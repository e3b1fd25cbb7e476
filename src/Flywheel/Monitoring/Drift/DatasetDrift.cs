using System.Text;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Monitoring;
using Flywheel.Datasets;
using Flywheel.Datasets.Columns;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Profiling;
using Flywheel.Datasets.Versions;
using Microsoft.Extensions.Options;

namespace Flywheel.Monitoring.Drift;

/// <summary>
/// Dataset version against dataset version (<c>GET api/datasets/{name}/drift?reference=1&amp;current=2</c>):
/// reads the columns both versions share as stored beside their content (<see cref="StoredColumn"/>:
/// exact tests need every value, not the profile's sketches), then runs <see cref="DriftDetection"/>
/// on each.
/// </summary>
public sealed class DatasetDrift(DatasetQueries datasets, DatasetCatalog catalog, DatasetBlobs blobs, StoredColumnCache cache, IOptions<DatasetOptions> options)
{
    public async Task<DriftReport> CompareAsync(string name, VersionReference reference, VersionReference current, string method, double? threshold, CancellationToken cancellationToken)
    {
        var referenceVersion = await datasets.GetAsync(name, reference, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"Dataset '{name}' has no version '{reference}'.");
        var currentVersion = await datasets.GetAsync(name, current, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"Dataset '{name}' has no version '{current}'.");
        if (!DriftDetection.Methods.Contains(method))
        {
            throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidMethod, $"'{method}' is not a drift method: use {string.Join(", ", DriftDetection.Methods)}.");
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

        var sides = await Task.WhenAll(
            SourcesAsync(name, referenceVersion, columns, cancellationToken),
            SourcesAsync(name, currentVersion, columns, cancellationToken)).ConfigureAwait(false);
        return DriftReports.Of(
            new DriftSide(name, referenceVersion.Version, referenceVersion.Sha256, referenceVersion.Rows),
            new DriftSide(name, currentVersion.Version, currentVersion.Sha256, currentVersion.Rows),
            columns, i => sides[0][i](), i => sides[1][i](), c => referenceProfile[c].Histogram, _ => method, threshold, skipped, cancellationToken);
    }

    /// <summary>The columns' values in a dataset version, missing cells by the dataset's markers (as profiling counted them).</summary>
    public async Task<ColumnSample[]> ReadAsync(string name, DatasetVersion version, IReadOnlyList<(string Name, bool Numerical)> columns, CancellationToken cancellationToken) =>
        [.. (await SourcesAsync(name, version, columns, cancellationToken).ConfigureAwait(false)).Select(source => source())];

    /// <summary>
    /// The columns' values in the reference rows a slice keeps (a rolling reference), read from the
    /// version's content in one pass: stored columns hold no row order to cut them by.
    /// </summary>
    public async Task<ColumnSample[]> ReadAsync(string name, DatasetVersion version, IReadOnlyList<(string Name, bool Numerical)> columns, ReferenceSlice? slice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(columns);
        if (slice is null)
        {
            return await ReadAsync(name, version, columns, cancellationToken).ConfigureAwait(false);
        }

        var samples = columns.Select(c => new ColumnSample(c.Numerical, version.Rows)).ToArray();
        List<string> read = [.. columns.Select(c => c.Name)];
        var timeAt = -1;
        if (slice.Column is { } column)
        {
            timeAt = read.Count;
            read.Add(column);
        }

        var markers = (await catalog.MissingMarkersAsync(name, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var content = await blobs.ContentAsync(name, version.Sha256, cancellationToken).ConfigureAwait(false);
        await DatasetRows.ReadAsync(content, version.Format, read, markers, (row, values) =>
        {
            if (!slice.Keeps(row, timeAt >= 0 ? Instant(values[timeAt]) : null))
            {
                return;
            }

            for (var c = 0; c < samples.Length; c++)
            {
                samples[c].Add(values[c] is { } text ? Encoding.UTF8.GetBytes(text) : [], values[c] is null);
            }
        }, cancellationToken).ConfigureAwait(false);
        return samples;
    }

    /// <summary>The span of a date-time column's last <paramref name="window"/> in a version: from its latest value back, and how many rows fall in it.</summary>
    public async Task<(DateTimeOffset From, DateTimeOffset To, long Rows)> RecentAsync(string name, DatasetVersion version, string column, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var instants = new List<DateTimeOffset>();
        var markers = (await catalog.MissingMarkersAsync(name, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var content = await blobs.ContentAsync(name, version.Sha256, cancellationToken).ConfigureAwait(false);
        await DatasetRows.ReadAsync(content, version.Format, [column], markers, (_, values) =>
        {
            if (Instant(values[0]) is { } instant)
            {
                instants.Add(instant);
            }
        }, cancellationToken).ConfigureAwait(false);
        if (instants.Count == 0)
        {
            throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.NoReference, $"recent.column '{column}' of '{name}' version {version.Version} holds no date-time values.");
        }

        var to = instants.Max();
        var from = to - window;
        return (from, to, instants.LongCount(i => i >= from));
    }

    private static DateTimeOffset? Instant(string? text) =>
        text is not null && ValueParser.TryDateTime(Encoding.UTF8.GetBytes(text), out var instant) ? new DateTimeOffset(DateTime.SpecifyKind(instant, DateTimeKind.Utc)) : null;

    /// <summary>
    /// Where each column's sample comes from, made when called, so a comparison holds decoded only
    /// the columns it is testing. Stored columns come from the cache, else storage. A version
    /// stored before its columns were (or whose columns were lost) is read from its content in one
    /// pass and its columns stored then. A column whose stored form left this view out (too many
    /// distinct values) is read from the content as cells.
    /// </summary>
    private async Task<Func<ColumnSample>[]> SourcesAsync(string name, DatasetVersion version, IReadOnlyList<(string Name, bool Numerical)> columns, CancellationToken cancellationToken)
    {
        var header = (version.Schema ?? []).Select((column, ordinal) => (column.Name, ordinal)).ToDictionary(p => p.Name, p => p.ordinal, StringComparer.Ordinal);
        var ordinals = columns.Select(c => header.GetValueOrDefault(c.Name, -1)).ToArray();
        var stored = new byte[]?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            stored[i] = ordinals[i] >= 0 ? cache.Get(version.Sha256, ordinals[i]) : null;
        }

        var markers = new Lazy<Task<HashSet<string>>>(async () =>
            (await catalog.MissingMarkersAsync(name, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal));
        var wanted = Enumerable.Range(0, columns.Count).Where(i => ordinals[i] >= 0 && stored[i] is null).ToList();
        if (wanted.Count > 0)
        {
            var read = await blobs.ReadColumnsAsync(name, version.Sha256, [.. wanted.Select(i => ordinals[i])], cancellationToken).ConfigureAwait(false)
                ?? await StoreColumnsAsync(name, version, await markers.Value.ConfigureAwait(false), [.. wanted.Select(i => ordinals[i])], cancellationToken).ConfigureAwait(false);
            for (var w = 0; w < wanted.Count; w++)
            {
                stored[wanted[w]] = read[w];
                cache.Add(version.Sha256, ordinals[wanted[w]], read[w]);
            }
        }

        var sources = new Func<ColumnSample>[columns.Count];
        var cells = new List<int>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (stored[i] is { } bytes && StoredColumn.Has(bytes, columns[i].Numerical))
            {
                var numerical = columns[i].Numerical;
                sources[i] = () => ColumnSample.From(StoredColumn.Decode(bytes), numerical)!;
            }
            else
            {
                cells.Add(i);
            }
        }

        if (cells.Count > 0)
        {
            var read = cells.Select(i => new ColumnSample(columns[i].Numerical, version.Rows)).ToArray();
            var content = await blobs.ContentAsync(name, version.Sha256, cancellationToken).ConfigureAwait(false);
            await DatasetRows.ReadCellsAsync(content, version.Format, [.. cells.Select(i => columns[i].Name)], await markers.Value.ConfigureAwait(false),
                (column, utf8, missing) => read[column].Add(utf8, missing), cancellationToken).ConfigureAwait(false);
            for (var c = 0; c < cells.Count; c++)
            {
                var sample = read[c];
                sources[cells[c]] = () => sample;
            }
        }

        return sources;
    }

    /// <summary>Collects every column of a version whose columns were never stored (ingested before they were) in one pass over its content, and stores them.</summary>
    private async Task<byte[][]> StoreColumnsAsync(string name, DatasetVersion version, HashSet<string> markers, int[] ordinals, CancellationToken cancellationToken)
    {
        var header = version.Schema!.Select(c => c.Name).ToList();
        var collectors = ColumnCollector.For(header.Count, options.Value.ColumnStoreBytes);
        var content = await blobs.ContentAsync(name, version.Sha256, cancellationToken).ConfigureAwait(false);
        await DatasetRows.ReadCellsAsync(content, version.Format, header, markers, (column, utf8, missing) => collectors[column].Add(utf8, missing), cancellationToken).ConfigureAwait(false);
        var made = collectors.Select(c => c.Finish().Encode()).ToList();
        await blobs.WriteColumnsAsync(name, version.Sha256, made, cancellationToken).ConfigureAwait(false);
        return [.. ordinals.Select(o => made[o])];
    }

    private static FlywheelException Unprocessable(string name, int version) =>
        new(ErrorKind.Unprocessable, ProblemTypes.NoProfile, $"Dataset '{name}' version {version} has no stored profile to compare.");
}
