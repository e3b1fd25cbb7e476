using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Versions;

namespace Flywheel.Training.Evaluation;

/// <summary>
/// Which of a candidate's test rows the gate may compare the champion on, and why.
/// <see cref="Compared"/> is true for each test row (in the test frame's order) that the champion
/// never trained or validated on.
/// </summary>
/// <param name="Basis">What was left out, in words, for the report and the gate's reasons.</param>
/// <param name="ChampionRecord">False when the champion has no lineage to check against (made elsewhere): every test row is compared.</param>
public sealed record UnseenRowsResult(bool[] Compared, int Test, int Excluded, string Basis, bool ChampionRecord)
{
    public int ComparedRows => Test - Excluded;
}

/// <summary>
/// Finds the candidate's test rows a champion never saw. A row is known by its values on the columns
/// both models read (<see cref="RowKey"/>), so a row the champion trained on is recognised in another
/// dataset version, at another position, or duplicated. The champion's rows are its recorded split's
/// train and validation parts; when only its dataset version is known (no split recorded), every row
/// of that version counts as seen; when it has no lineage at all, nothing can be excluded.
/// </summary>
public sealed class UnseenRows(DatasetBlobs blobs, DatasetQueries datasets, DatasetCatalog catalog)
{
    public async Task<UnseenRowsResult> FindAsync(TrainingPlan plan, DataSplit split, ModelVersion champion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(champion);
        var container = await blobs.ContainerAsync(cancellationToken).ConfigureAwait(false);
        var test = (await DataSplitter.ReadAsync(container.GetBlobClient(split.Blob), cancellationToken).ConfigureAwait(false)).Test;
        if (champion.Dataset is not { } lineage
            || await datasets.GetAsync(lineage.Name, VersionReference.Of(lineage.Version), cancellationToken).ConfigureAwait(false) is not { } trainedOn)
        {
            return new UnseenRowsResult([.. test.Select(_ => true)], test.Length, 0,
                $"version {champion.Version} has no training lineage (made elsewhere), so rows it may have seen cannot be left out: compared on all {test.Length:N0} test rows", false);
        }

        // The columns both read (the champion's own when it was trained here), as both versions have them.
        var theirs = champion.Training?.Features is { } features ? features.Append(champion.Training.Label ?? plan.Request.Label) : null;
        var columns = DataSplitter.KeyColumns(plan)
            .Where(c => theirs?.Contains(c, StringComparer.Ordinal) ?? true)
            .Where(c => trainedOn.Schema?.Any(s => s.Name == c) ?? trainedOn.Columns?.Contains(c, StringComparer.Ordinal) ?? false)
            .ToList();

        var mine = new UInt128[test.Length];
        var next = 0;
        await ReadKeysAsync(plan.Request.Dataset, plan.Sha256, plan.Format, plan.MissingMarkers, columns, row =>
        {
            if (next < test.Length && test[next] == row)
            {
                return next++;
            }

            return -1;
        }, (index, key) => mine[index] = key, cancellationToken).ConfigureAwait(false);

        var recorded = champion.Training?.Split is { } splitBlob && await container.GetBlobClient(splitBlob).ExistsAsync(cancellationToken).ConfigureAwait(false)
            ? await DataSplitter.ReadAsync(container.GetBlobClient(splitBlob), cancellationToken).ConfigureAwait(false)
            : null;
        var seenRows = recorded is null ? null : new HashSet<int>(recorded.Train.Concat(recorded.Validation));
        var seen = new HashSet<UInt128>();
        var markers = await catalog.MissingMarkersAsync(lineage.Name, cancellationToken).ConfigureAwait(false);
        await ReadKeysAsync(lineage.Name, trainedOn.Sha256, trainedOn.Format, markers, columns,
            row => seenRows is null || seenRows.Contains(row) ? 0 : -1, (_, key) => seen.Add(key), cancellationToken).ConfigureAwait(false);

        var compared = mine.Select(k => !seen.Contains(k)).ToArray();
        var excluded = compared.Count(c => !c);
        var what = recorded is null
            ? $"any row of {lineage.Name} version {lineage.Version} (its training data; the split it used is not recorded)"
            : $"a row of its train or validation part ({recorded.Train.Length + recorded.Validation.Length:N0} rows of {lineage.Name} version {lineage.Version})";
        return new UnseenRowsResult(compared, test.Length, excluded,
            $"{excluded:N0} of the {test.Length:N0} test rows equal {what} on {columns.Count} column(s) and were left out: compared on {test.Length - excluded:N0} rows version {champion.Version} never trained or validated on",
            true);
    }

    /// <summary>Reads the key of each row <paramref name="pick"/> gives an index (non-negative) for.</summary>
    private async Task ReadKeysAsync(string dataset, string sha256, string format, IReadOnlyList<string> markers, IReadOnlyList<string> columns,
        Func<int, int> pick, Action<int, UInt128> onKey, CancellationToken cancellationToken)
    {
        var content = await blobs.ContentAsync(dataset, sha256, cancellationToken).ConfigureAwait(false);
        await DatasetRows.ReadAsync(content, format, columns, markers.ToHashSet(StringComparer.Ordinal), (row, values) =>
        {
            if (pick(row) is var index and >= 0)
            {
                onKey(index, RowKey.Of(values));
            }
        }, cancellationToken).ConfigureAwait(false);
    }
}
