using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Training;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Versions;

namespace Flywheel.Training;

/// <summary>Where a split is stored and what is in it; every candidate and the champion are scored on these same rows.</summary>
/// <param name="Blob">The split's path in the <c>datasets</c> container.</param>
/// <param name="Classes">The label's classes, ordinally sorted (null for regression).</param>
public sealed record DataSplit(string Blob, int Train, int Validation, int Test, IReadOnlyList<string>? Classes);

/// <summary>The data rows (0-based) of each part of a split, and the label's classes (null for regression).</summary>
public sealed record SplitRows(int[] Train, int[] Validation, int[] Test, IReadOnlyList<string>? Classes = null);

/// <summary>A labelled data row (0-based), its place in [0, 1) under the split's salt, and its value in the split's order column.</summary>
public readonly record struct PlacedRow(int Row, double Position, string? Order = null);

/// <summary>
/// Splits a dataset version's labelled rows into train, validation and test. A row's part is a
/// function of its values on the columns training reads and the split's salt (<see cref="RowKey"/>),
/// not of the seed, the row's position or the dataset version: a row that stays in the data stays in
/// its part across versions and retrains, exact duplicates share a part, and a retrain's test rows
/// are mostly rows the champion was tested on too (the gate excludes the rest). Classification is
/// stratified in expectation (each class's rows are placed independently); a class too small to
/// reach every part that way is dealt by its rows' positions instead. With
/// <see cref="SplitSpec.OrderBy"/> the newest rows are the test part and those before them
/// validation (rows without a value in that column train). The split is stored content-addressed
/// beside the version (<c>{dataset}/splits/{sha256}/{key}.split</c>) and computed at most once.
/// </summary>
public sealed class DataSplitter(DatasetBlobs blobs)
{
    private static readonly byte[] s_magic = "FWSPLIT1"u8.ToArray();

    /// <summary>The columns a row's key is made of: the features and the label, ordinally sorted (so a reordered file keys the same).</summary>
    public static IReadOnlyList<string> KeyColumns(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return [.. plan.Features.Select(f => f.Name).Append(plan.Request.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public async Task<DataSplit> SplitAsync(TrainingPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var request = plan.Request;
        var shares = request.Split;
        var stratified = plan.Task != TrainingTask.Regression;
        var container = await blobs.ContainerAsync(cancellationToken).ConfigureAwait(false);
        var markers = plan.MissingMarkers;
        var keyColumns = KeyColumns(plan);
        var key = Key("v2", request.Label, stratified, shares.Test.ToString("R", CultureInfo.InvariantCulture), shares.Validation.ToString("R", CultureInfo.InvariantCulture),
            shares.Salt, shares.OrderBy ?? string.Empty, string.Join('\u001f', keyColumns), string.Join('\u001f', markers));
        var blob = container.GetBlobClient($"{request.Dataset}/splits/{plan.Sha256}/{key}.split");
        if (await blob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            var known = await ReadAsync(blob, cancellationToken).ConfigureAwait(false);
            return new DataSplit(blob.Name, known.Train.Length, known.Validation.Length, known.Test.Length, known.Classes);
        }

        var columns = keyColumns.Append(request.Label).Append(shares.OrderBy ?? request.Label).ToList();
        var labelAt = keyColumns.Count;
        var seed = RowKey.Seed(shares.Salt);
        var groups = new SortedDictionary<string, List<PlacedRow>>(StringComparer.Ordinal);
        var all = new List<PlacedRow>();
        var content = await blobs.ContentAsync(request.Dataset, plan.Sha256, cancellationToken).ConfigureAwait(false);
        await DatasetRows.ReadAsync(content, plan.Format, columns, markers.ToHashSet(StringComparer.Ordinal), (row, values) =>
        {
            var label = values[labelAt];
            if (label is null)
            {
                return;
            }

            var placed = new PlacedRow(row, RowKey.Position(RowKey.Of(values.AsSpan(0, labelAt)), seed), values[labelAt + 1]);
            if (!stratified || shares.OrderBy is not null)
            {
                all.Add(placed);
            }

            if (stratified)
            {
                if (!groups.TryGetValue(label, out var rows))
                {
                    groups[label] = rows = [];
                }

                rows.Add(placed);
            }
        }, cancellationToken).ConfigureAwait(false);

        if (stratified && groups.FirstOrDefault(g => g.Value.Count < TrainingPlanner.MinRowsPerClass) is { Key: not null } rare)
        {
            throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.InvalidTrainingData,
                $"Class '{rare.Key}' of the label '{request.Label}' has {rare.Value.Count} row(s); every class needs at least {TrainingPlanner.MinRowsPerClass} so each split part sees it.");
        }

        var split = (shares.OrderBy is not null ? Ordered(all, shares) : Assign(stratified ? groups.Values : [all], shares))
            with { Classes = stratified ? [.. groups.Keys] : null };
        // The same inputs always give the same bytes, so a concurrent writer of this split writes what this one would.
        await blob.UploadAsync(BinaryData.FromBytes(Encode(split)), overwrite: true, cancellationToken).ConfigureAwait(false);
        return new DataSplit(blob.Name, split.Train.Length, split.Validation.Length, split.Test.Length, split.Classes);
    }

    /// <summary>
    /// Places each group's rows by their positions: below the test share is test, below test plus
    /// validation is validation, the rest train. A group of three or more rows that leaves a part
    /// empty that way is dealt by rank of position instead (the test share first, then validation,
    /// at least one row each), so every class reaches every part. Parts come back sorted, so a
    /// reader can stream the file once.
    /// </summary>
    public static SplitRows Assign(IEnumerable<IReadOnlyList<PlacedRow>> groups, SplitSpec shares)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(shares);
        List<int> train = [], validation = [], test = [];
        foreach (var group in groups)
        {
            var n = group.Count;
            var parts = group.Select(r => r.Position < shares.Test ? 2 : r.Position < shares.Test + shares.Validation ? 1 : 0).ToArray();
            if (n >= 3 && (!parts.Contains(0) || !parts.Contains(1) || !parts.Contains(2)))
            {
                var ranked = Enumerable.Range(0, n).OrderBy(i => group[i].Position).ThenBy(i => group[i].Row).ToArray();
                var (testCount, validationCount) = Counts(n, shares);
                for (var rank = 0; rank < n; rank++)
                {
                    parts[ranked[rank]] = rank < testCount ? 2 : rank < testCount + validationCount ? 1 : 0;
                }
            }
            else if (n < 3)
            {
                Array.Fill(parts, 0);
            }

            for (var i = 0; i < n; i++)
            {
                (parts[i] switch { 2 => test, 1 => validation, _ => train }).Add(group[i].Row);
            }
        }

        return Sorted(train, validation, test);
    }

    /// <summary>
    /// Orders the rows by <see cref="PlacedRow.Order"/> (as numbers when every value is one, else as
    /// dates when every value is one, else as text; ties by position): the last test share is test,
    /// the validation share before it validation, the rest train, and rows without a value train.
    /// </summary>
    public static SplitRows Ordered(IReadOnlyList<PlacedRow> rows, SplitSpec shares)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(shares);
        var dated = rows.Where(r => r.Order is not null).ToList();
        var undated = rows.Where(r => r.Order is null).Select(r => r.Row);
        var keys = Numbers(dated, s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null)
            ?? Numbers(dated, s => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when.UtcTicks : null);
        var sorted = (keys is not null
            ? dated.Select((r, i) => (Row: r, Key: keys[i])).OrderBy(p => p.Key).ThenBy(p => p.Row.Position).Select(p => p.Row)
            : dated.OrderBy(r => r.Order, StringComparer.Ordinal).ThenBy(r => r.Position)).ToList();
        var (testCount, validationCount) = Counts(sorted.Count, shares);
        var trainCount = sorted.Count - testCount - validationCount;
        return Sorted(
            [.. sorted.Take(trainCount).Select(r => r.Row).Concat(undated)],
            [.. sorted.Skip(trainCount).Take(validationCount).Select(r => r.Row)],
            [.. sorted.Skip(trainCount + validationCount).Select(r => r.Row)]);
    }

    /// <summary>Every row's order value as a number, or null when one of them is not one.</summary>
    private static double[]? Numbers(List<PlacedRow> rows, Func<string, double?> parse)
    {
        var numbers = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            if (parse(rows[i].Order!) is not { } number)
            {
                return null;
            }

            numbers[i] = number;
        }

        return numbers;
    }

    /// <summary>How many of <paramref name="n"/> rows a rank-dealt group gives test and validation: at least one each from three rows on, and at least one left to train.</summary>
    private static (int Test, int Validation) Counts(int n, SplitSpec shares)
    {
        var testCount = n >= 3 ? Math.Max(1, (int)Math.Round(n * shares.Test)) : 0;
        var validationCount = n >= 3 ? Math.Max(1, (int)Math.Round(n * shares.Validation)) : 0;
        return (Math.Min(testCount, Math.Max(0, n - validationCount - 1)), validationCount);
    }

    private static SplitRows Sorted(List<int> train, List<int> validation, List<int> test)
    {
        train.Sort();
        validation.Sort();
        test.Sort();
        return new SplitRows([.. train], [.. validation], [.. test]);
    }

    /// <summary>A short name for what a stored file was made from: the same inputs always give the same key.</summary>
    internal static string Key(params object[] inputs) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', inputs))))[..16];

    public static async Task<SplitRows> ReadAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var bytes = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToMemory();
        return Decode(bytes.Span);
    }

    /// <summary>
    /// "FWSPLIT1"; each part as a little-endian int32 count and that many int32 row numbers; then the
    /// class count (-1 for regression) and each class as an int32 byte length and its UTF-8 bytes.
    /// </summary>
    public static byte[] Encode(SplitRows split)
    {
        ArgumentNullException.ThrowIfNull(split);
        using var stream = new MemoryStream();
        stream.Write(s_magic);
        var number = new byte[4];
        void Write(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(number, value);
            stream.Write(number);
        }

        foreach (var part in new[] { split.Train, split.Validation, split.Test })
        {
            Write(part.Length);
            foreach (var row in part)
            {
                Write(row);
            }
        }

        Write(split.Classes?.Count ?? -1);
        foreach (var name in split.Classes ?? [])
        {
            var utf8 = Encoding.UTF8.GetBytes(name);
            Write(utf8.Length);
            stream.Write(utf8);
        }

        return stream.ToArray();
    }

    public static SplitRows Decode(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith(s_magic))
        {
            throw new InvalidDataException("Not a Flywheel split file.");
        }

        var offset = s_magic.Length;
        var parts = new int[3][];
        for (var p = 0; p < 3; p++)
        {
            var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[offset..]);
            offset += 4;
            parts[p] = new int[count];
            for (var i = 0; i < count; i++, offset += 4)
            {
                parts[p][i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[offset..]);
            }
        }

        var classCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[offset..]);
        offset += 4;
        List<string>? classes = classCount < 0 ? null : new List<string>(classCount);
        for (var c = 0; c < classCount; c++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[offset..]);
            classes!.Add(Encoding.UTF8.GetString(bytes.Slice(offset + 4, length)));
            offset += 4 + length;
        }

        return new SplitRows(parts[0], parts[1], parts[2], classes);
    }
}
