using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Versions;
using Flywheel.Errors;

namespace Flywheel.Training;

/// <summary>Where a split is stored and what is in it; every candidate and the champion are scored on these same rows.</summary>
/// <param name="Blob">The split's path in the <c>datasets</c> container.</param>
/// <param name="Classes">The label's classes, ordinally sorted (null for regression).</param>
public sealed record DataSplit(string Blob, int Train, int Validation, int Test, IReadOnlyList<string>? Classes);

/// <summary>The data rows (0-based) of each part of a split, and the label's classes (null for regression).</summary>
public sealed record SplitRows(int[] Train, int[] Validation, int[] Test, IReadOnlyList<string>? Classes = null);

/// <summary>
/// Splits a dataset version's labelled rows into train, validation and test: stratified by class for
/// classification (each class keeps its share in every part, at least one row each), plainly
/// shuffled for regression, both with a seeded generator. The split depends only on the data, the
/// label, the shares and the seed, so it is stored content-addressed beside the version
/// (<c>{dataset}/splits/{sha256}/{key}.split</c>) and computed at most once: a rerun, a retry of the
/// activity or a later run with the same settings reads the same rows.
/// </summary>
public sealed class DataSplitter(DatasetBlobs blobs)
{
    private static readonly byte[] s_magic = "FWSPLIT1"u8.ToArray();

    public async Task<DataSplit> SplitAsync(TrainingPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var request = plan.Request;
        var stratified = plan.Task != TrainingTask.Regression;
        var container = await blobs.ContainerAsync(cancellationToken).ConfigureAwait(false);
        var markers = plan.MissingMarkers;
        var key = Key(request.Label, stratified, request.Split.Test.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            request.Split.Validation.ToString("R", System.Globalization.CultureInfo.InvariantCulture), request.Seed, string.Join('\u001f', markers));
        var blob = container.GetBlobClient($"{request.Dataset}/splits/{plan.Sha256}/{key}.split");
        if (await blob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            var known = await ReadAsync(blob, cancellationToken).ConfigureAwait(false);
            return new DataSplit(blob.Name, known.Train.Length, known.Validation.Length, known.Test.Length, known.Classes);
        }

        var groups = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        var all = new List<int>();
        var missing = markers.ToHashSet(StringComparer.Ordinal);
        var content = await blobs.ContentAsync(request.Dataset, plan.Sha256, cancellationToken).ConfigureAwait(false);
        await DatasetRows.ReadAsync(content, plan.Format, [request.Label], missing, (row, values) =>
        {
            var label = values[0];
            if (label is null)
            {
                return;
            }

            if (!stratified)
            {
                all.Add(row);
                return;
            }

            if (!groups.TryGetValue(label, out var rows))
            {
                groups[label] = rows = [];
            }

            rows.Add(row);
        }, cancellationToken).ConfigureAwait(false);

        if (stratified && groups.FirstOrDefault(g => g.Value.Count < TrainingPlanner.MinRowsPerClass) is { Key: not null } rare)
        {
            throw new FlywheelException(ErrorKind.Unprocessable, "invalid-training-data",
                $"Class '{rare.Key}' of the label '{request.Label}' has {rare.Value.Count} row(s); every class needs at least {TrainingPlanner.MinRowsPerClass} so each split part sees it.");
        }

        var split = (stratified ? Assign(groups.Values, request.Split, request.Seed) : Assign([all], request.Split, request.Seed))
            with { Classes = stratified ? [.. groups.Keys] : null };
        // The same inputs always give the same bytes, so a concurrent writer of this split writes what this one would.
        await blob.UploadAsync(BinaryData.FromBytes(Encode(split)), overwrite: true, cancellationToken).ConfigureAwait(false);
        return new DataSplit(blob.Name, split.Train.Length, split.Validation.Length, split.Test.Length, split.Classes);
    }

    /// <summary>
    /// Shuffles each group with one seeded generator (groups in order) and deals its rows out: the
    /// test share first, then validation, the rest to train; each part gets at least one row of a
    /// group with three or more. Parts come back sorted, so a reader can stream the file once.
    /// </summary>
    public static SplitRows Assign(IEnumerable<List<int>> groups, SplitSpec shares, int seed)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(shares);
        var random = new Random(seed);
        List<int> train = [], validation = [], test = [];
        foreach (var group in groups)
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            var n = rows.Length;
            var testCount = n >= 3 ? Math.Max(1, (int)Math.Round(n * shares.Test)) : 0;
            var validationCount = n >= 3 ? Math.Max(1, (int)Math.Round(n * shares.Validation)) : 0;
            testCount = Math.Min(testCount, Math.Max(0, n - validationCount - 1));
            test.AddRange(rows.AsSpan(0, testCount));
            validation.AddRange(rows.AsSpan(testCount, validationCount));
            train.AddRange(rows.AsSpan(testCount + validationCount));
        }

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
