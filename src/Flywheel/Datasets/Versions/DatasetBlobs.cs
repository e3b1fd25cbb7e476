using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Flywheel.Datasets.Columns;
using Flywheel.Datasets.Profiling;
using Flywheel.Storage;

namespace Flywheel.Datasets.Versions;

/// <summary>
/// The dataset bytes in the <c>datasets</c> container: a staging blob per upload, then the
/// content-addressed copy <c>{name}/{sha256}</c>, its profile <c>{name}/{sha256}.profile.json</c>
/// and its stored columns <c>{name}/{sha256}.columns</c>.
/// </summary>
public sealed class DatasetBlobs(StorageClients storage)
{
    private const string StagingFolder = ".staging";

    public static string ContentPath(string name, string sha256) => $"{name}/{sha256}";

    public Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) =>
        storage.ContainerAsync(StorageNames.DatasetsContainer, cancellationToken);

    public async Task<BlockBlobClient> NewStagingBlobAsync(string name, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        return container.GetBlockBlobClient($"{StagingFolder}/{name}/{Guid.NewGuid():N}");
    }

    /// <summary>
    /// Copies a staging blob to its content address. Content-addressed, so any complete copy is
    /// the right one: when concurrent uploads of the same bytes race, the first copy wins and the
    /// others wait for it to complete (a copy in flight is already visible, not yet whole).
    /// </summary>
    public async Task PromoteAsync(BlobBaseClient staging, string name, string sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staging);
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var target = container.GetBlobClient(ContentPath(name, sha256));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await target.StartCopyFromUriAsync(staging.Uri, new BlobCopyFromUriOptions { DestinationConditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another upload of the same bytes got there first (its copy may still be running).
            }

            if (await WaitForCopyAsync(target, cancellationToken).ConfigureAwait(false) is null or CopyStatus.Success)
            {
                return;
            }

            if (attempt == 2)
            {
                throw new InvalidOperationException($"Copying '{target.Name}' failed three times.");
            }

            // The copy that won failed: remove it and copy again.
            await target.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task WriteProfileAsync(string name, string sha256, DatasetProfile profile, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var blob = container.GetBlobClient($"{ContentPath(name, sha256)}.profile.json");
        await blob.UploadAsync(BinaryData.FromObjectAsJson(profile, Json.Options), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DatasetProfile?> ReadProfileAsync(string name, string sha256, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        return await BlobJson.ReadAsync<DatasetProfile>(container.GetBlobClient($"{ContentPath(name, sha256)}.profile.json"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a version's stored columns (see <see cref="StoredColumn"/>) as one blob: a table of
    /// each column's length, in header order, then the columns. One write per version however wide
    /// it is; a reader fetches the table and then only the columns it needs.
    /// </summary>
    /// <param name="encoded">Each column as <see cref="StoredColumn.Encode"/> wrote it, in header order.</param>
    internal async Task WriteColumnsAsync(string name, string sha256, IReadOnlyList<byte[]> encoded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Count == 0)
        {
            return;
        }

        var writer = new ColumnWriter();
        writer.WriteRaw(ColumnsMagic);
        writer.WriteVarint((ulong)encoded.Count);
        foreach (var column in encoded)
        {
            writer.WriteVarint((ulong)column.Length);
        }

        // One put, not staged blocks: concurrent uploads of the same content write the same columns at
        // once, and block lists committed side by side refuse each other.
        foreach (var column in encoded)
        {
            writer.WriteRaw(column);
        }

        var blob = writer.ToArray();
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient(ColumnsPath(name, sha256)).UploadAsync(new BinaryData(blob), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Some of a version's stored columns, by their place in the header, encoded (callers cache the
    /// bytes, far smaller than the columns decoded); null when the version's columns were never stored.
    /// </summary>
    internal async Task<byte[][]?> ReadColumnsAsync(string name, string sha256, IReadOnlyList<int> ordinals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ordinals);
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var blob = container.GetBlobClient(ColumnsPath(name, sha256));
        const int HeadBytes = 64 << 10;
        byte[] head;
        try
        {
            head = (await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(0, HeadBytes) }, cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        if (!TryReadTable(head, out var offsets))
        {
            // A table wider than the head (tens of thousands of columns): fetch it whole.
            var tableBytes = ColumnsMagic.Length + (10L * (1 + (long)new ColumnReader(head.AsSpan(ColumnsMagic.Length)).ReadVarint()));
            head = (await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(0, tableBytes) }, cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
            if (!TryReadTable(head, out offsets))
            {
                throw new InvalidDataException($"The stored columns of '{name}' ({sha256}) have an unreadable table.");
            }
        }

        var columns = new byte[ordinals.Count][];
        Array.Fill(columns, []);
        await Parallel.ForEachAsync(Spans(offsets, ordinals, MaxSpanBytes), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (span, token) =>
        {
            var bytes = (await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(span.Offset, span.Length) }, token).ConfigureAwait(false)).Value.Content.ToMemory();
            foreach (var i in span.Columns)
            {
                var (offset, length) = offsets[ordinals[i]];
                columns[i] = bytes.Slice((int)(offset - span.Offset), (int)length).ToArray();
            }
        }).ConfigureAwait(false);
        return columns;
    }

    /// <summary>The most one ranged read of stored columns asks for (a single column larger than this is read alone).</summary>
    internal const long MaxSpanBytes = 4 << 20;

    /// <summary>Unasked bytes between two wanted columns that one read still spans: cheaper to read past than to ask again.</summary>
    private const long MaxGapBytes = 64 << 10;

    /// <summary>
    /// The ranged reads that fetch the wanted columns (<paramref name="ordinals"/>' indexes, grouped by
    /// where they lie). One read per column made a comparison of n columns n requests, each dearer
    /// the larger the blob, so wide comparisons slowed down faster than their columns grew; adjacent
    /// columns now share a read of up to <paramref name="maxBytes"/>, so reads grow with bytes wanted.
    /// </summary>
    internal static List<(long Offset, long Length, List<int> Columns)> Spans(IReadOnlyList<(long Offset, long Length)> offsets, IReadOnlyList<int> ordinals, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(ordinals);
        var spans = new List<(long Offset, long Length, List<int> Columns)>();
        foreach (var i in Enumerable.Range(0, ordinals.Count).Where(i => offsets[ordinals[i]].Length > 0).OrderBy(i => offsets[ordinals[i]].Offset))
        {
            var (offset, length) = offsets[ordinals[i]];
            if (spans.Count > 0 && spans[^1] is var last && offset <= last.Offset + last.Length + MaxGapBytes && offset + length - last.Offset <= maxBytes)
            {
                last.Columns.Add(i);
                spans[^1] = (last.Offset, Math.Max(last.Length, offset + length - last.Offset), last.Columns);
            }
            else
            {
                spans.Add((offset, length, [i]));
            }
        }

        return spans;
    }

    private static ReadOnlySpan<byte> ColumnsMagic => "FWCS"u8;

    private static bool TryReadTable(byte[] head, out (long Offset, long Length)[] columns)
    {
        columns = [];
        if (!head.AsSpan().StartsWith(ColumnsMagic))
        {
            throw new InvalidDataException("Not a version's stored columns.");
        }

        try
        {
            var reader = new ColumnReader(head.AsSpan(ColumnsMagic.Length));
            var count = checked((int)reader.ReadVarint());
            var lengths = new long[count];
            for (var i = 0; i < count; i++)
            {
                lengths[i] = (long)reader.ReadVarint();
            }

            var offset = (long)head.Length - reader.Remaining;
            columns = new (long, long)[count];
            for (var i = 0; i < count; i++)
            {
                columns[i] = (offset, lengths[i]);
                offset += lengths[i];
            }

            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static string ColumnsPath(string name, string sha256) => $"{ContentPath(name, sha256)}.columns";

    public async Task<BlobClient> ContentAsync(string name, string sha256, CancellationToken cancellationToken) =>
        (await ContainerAsync(cancellationToken).ConfigureAwait(false)).GetBlobClient(ContentPath(name, sha256));

    /// <summary>Server-side copy within the account, waited for, so the target is complete when this returns.</summary>
    public static async Task CopyAsync(BlobBaseClient source, BlobBaseClient target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        await target.StartCopyFromUriAsync(source.Uri, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (await WaitForCopyAsync(target, cancellationToken).ConfigureAwait(false) is not (null or CopyStatus.Success) and var status)
        {
            throw new InvalidOperationException($"Copying to '{target.Name}' ended {status}.");
        }
    }

    /// <summary>
    /// Waits until the last copy into <paramref name="target"/> is no longer pending and returns how
    /// it ended (null: the blob was written, not copied). Polled from the blob's properties rather
    /// than through the copy operation, so any caller can wait for a copy another request started.
    /// </summary>
    private static async Task<CopyStatus?> WaitForCopyAsync(BlobBaseClient target, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var properties = await target.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (properties.Value.BlobCopyStatus != CopyStatus.Pending)
            {
                return properties.Value.BlobCopyStatus;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }
}
