using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Profiling;
using Flywheel.Datasets.Quarantine;
using Flywheel.Datasets.Versions;
using Flywheel.Events;
using Microsoft.Extensions.Options;

namespace Flywheel.Datasets.Ingest;

/// <summary>
/// The one code path from bytes to a dataset version, for HTTP uploads and landing-container drops
/// alike. One read of the source hashes it, parses and profiles it, and streams it to a staging
/// blob. Then: quarantine if it is unreadable or breaks the contract; the existing version if the
/// content is known; otherwise the bytes move to their content address and, last of all, the
/// version is committed, so a reader never sees a version without its data.
/// </summary>
public sealed class DatasetIngestor(
    DatasetCatalog catalog,
    DatasetBlobs blobs,
    QuarantineStore quarantine,
    DatasetQueries queries,
    EventPublisher events,
    IngestMetrics metrics,
    IOptions<DatasetOptions> options,
    TimeProvider time,
    IEnumerable<IDatasetVersionObserver> observers)
{
    /// <param name="rejectReason">When set, the file is quarantined with this reason whatever its content (a drop at an unusable path).</param>
    /// <param name="contentLength">The content's size when the stream cannot tell (an HTTP body's Content-Length): stored columns projected past their budget are given up early.</param>
    public async Task<IngestOutcome> IngestAsync(string name, Stream content, string source, CancellationToken cancellationToken, string? rejectReason = null, long? contentLength = null)
    {
        if (!ResourceName.IsValid(name))
        {
            throw new InvalidDatasetNameException(name);
        }

        var started = time.GetTimestamp();
        ArgumentNullException.ThrowIfNull(content);
        var outcome = await IngestOnceAsync(name, content, contentLength ?? (content.CanSeek ? content.Length : null), source, rejectReason, cancellationToken).ConfigureAwait(false);
        metrics.Ingested(name, outcome, time.GetElapsedTime(started));
        return outcome;
    }

    /// <summary>
    /// Quarantines a stored file that ingestion itself failed on (not a problem found in the data),
    /// with one <c>ingest-failed</c> problem saying <paramref name="reason"/>: the file is kept, the
    /// rejection is published, and whatever dropped it learns it will not become a version.
    /// </summary>
    public async Task<IngestOutcome> QuarantineFailedAsync(string name, BlobClient original, string source, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(original);
        var received = time.GetUtcNow();
        var content = await original.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        string sha256;
        long size;
        await using (content.ConfigureAwait(false))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false));
            size = content.Length;
        }

        var report = await quarantine.QuarantineAsync(original, name, source, sha256, size, received,
            [new DataProblem("ingest-failed", reason, null, 1, [])], cancellationToken).ConfigureAwait(false);
        await events.PublishAsync(EventTypes.DatasetRejected, $"datasets/{name}", report, cancellationToken).ConfigureAwait(false);
        var outcome = new IngestOutcome(IngestStatus.Rejected, null, report);
        metrics.Ingested(name, outcome, TimeSpan.Zero);
        return outcome;
    }

    private async Task<IngestOutcome> IngestOnceAsync(string name, Stream content, long? length, string source, string? rejectReason, CancellationToken cancellationToken)
    {
        var contract = await catalog.GetContractAsync(name, cancellationToken).ConfigureAwait(false) ?? DatasetContract.None;
        var received = time.GetUtcNow();
        var staging = await blobs.NewStagingBlobAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            var problems = new DataProblems();
            if (rejectReason is not null)
            {
                problems.Add("invalid-path", rejectReason, value: source, unreadable: true);
            }

            // How much of the file was read, for the stored columns' projection (null: size unknown).
            HashingStream? reading = null;
            var profiler = new DatasetProfiler(contract, problems, options.Value.ColumnStoreBytesFor(length),
                length is > 0 ? () => reading is { } r ? Math.Min(1, (double)r.BytesRead / length.Value) : 0 : null);
            var (sha256, size, format) = await ReadOnceAsync(content, staging, profiler, problems, h => reading = h, cancellationToken).ConfigureAwait(false);
            if (format == "parquet")
            {
                // Parquet keeps its schema in a footer: it is read back from the staged copy.
                var stored = await staging.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken).ConfigureAwait(false);
                await using (stored.ConfigureAwait(false))
                {
                    await new ParquetDatasetReader(profiler, problems).ReadAsync(stored, cancellationToken).ConfigureAwait(false);
                }
            }

            var profile = profiler.Finish(format);
            if (problems.Any)
            {
                var report = await quarantine.QuarantineAsync(staging, name, source, sha256, size, received, problems.ToList(), cancellationToken).ConfigureAwait(false);
                await events.PublishAsync(EventTypes.DatasetRejected, $"datasets/{name}", report, cancellationToken).ConfigureAwait(false);
                return new IngestOutcome(IngestStatus.Rejected, null, report);
            }

            if (await catalog.FindByHashAsync(name, sha256, cancellationToken).ConfigureAwait(false) is { } known)
            {
                return new IngestOutcome(IngestStatus.Existing, await queries.CompleteAsync(known, cancellationToken).ConfigureAwait(false), null);
            }

            await blobs.PromoteAsync(staging, name, sha256, cancellationToken).ConfigureAwait(false);
            await blobs.WriteProfileAsync(name, sha256, profile, cancellationToken).ConfigureAwait(false);
            await blobs.WriteColumnsAsync(name, sha256, [.. profiler.StoredColumns().Select(c => c.Encode())], cancellationToken).ConfigureAwait(false);
            var draft = new DatasetVersionEntity(
                name, 0, sha256, size, format, profile.Rows, profile.Schema.Count, [.. profile.Schema.Select(c => c.Name)], source, received, null,
                await SchemaWarningsAsync(name, profile, cancellationToken).ConfigureAwait(false), []);
            var (committed, created) = await catalog.CommitAsync(draft, received, cancellationToken).ConfigureAwait(false);
            var version = await queries.CompleteAsync(committed, cancellationToken).ConfigureAwait(false);
            if (created)
            {
                await events.PublishAsync(EventTypes.DatasetVersionCreated, $"datasets/{name}/versions/{version.Version}",
                    new { dataset = name, version = version.Version, version.Sha256, version.Rows, version.ContentPath }, cancellationToken).ConfigureAwait(false);
                foreach (var observer in observers)
                {
                    await observer.VersionCreatedAsync(version, cancellationToken).ConfigureAwait(false);
                }
            }

            return new IngestOutcome(created ? IngestStatus.Created : IngestStatus.Existing, version, null);
        }
        finally
        {
            await staging.DeleteIfExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<(string Sha256, long Size, string Format)> ReadOnceAsync(
        Stream content, BlockBlobClient staging, DatasetProfiler profiler, DataProblems problems, Action<HashingStream> reading, CancellationToken cancellationToken)
    {
        var sink = await staging.OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions { BufferSize = options.Value.UploadBlockBytes }, cancellationToken).ConfigureAwait(false);
        await using (sink.ConfigureAwait(false))
        {
            using var hashing = new HashingStream(content, sink, options.Value.MaxUploadBytes);
            reading(hashing);
            var head = await hashing.PeekAsync(4, cancellationToken).ConfigureAwait(false);
            var format = head.Span.SequenceEqual(ParquetDatasetReader.Magic) ? "parquet" : "csv";
            if (format == "csv")
            {
                await new CsvDatasetReader(profiler, problems).ReadAsync(hashing, cancellationToken).ConfigureAwait(false);
            }

            await hashing.DrainAsync(cancellationToken).ConfigureAwait(false);
            return (await hashing.Sha256Async().ConfigureAwait(false), hashing.BytesRead, format);
        }
    }

    /// <summary>Columns added, removed or retyped since the latest version: recorded on the new version, not rejected.</summary>
    private async Task<IReadOnlyList<string>> SchemaWarningsAsync(string name, DatasetProfile profile, CancellationToken cancellationToken)
    {
        var previous = await queries.GetAsync(name, VersionReference.Latest, cancellationToken).ConfigureAwait(false);
        return previous?.Schema is { } before ? SchemaChanges.Summarize(SchemaChanges.Between(before, profile.Schema), DatasetVersionEntity.MaxPropertyChars / 2) : [];
    }
}
