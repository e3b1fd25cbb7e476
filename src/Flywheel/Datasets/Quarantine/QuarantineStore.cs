using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Flywheel.Contracts.Datasets;
using Flywheel.Datasets.Versions;
using Flywheel.Storage;

namespace Flywheel.Datasets.Quarantine;

/// <summary>
/// Rejected files in the <c>quarantine</c> container: <c>{name}/{id}/{file}</c> holds the original
/// bytes and <c>{name}/{id}/report.json</c> the problems. Ids sort by arrival time.
/// </summary>
public sealed class QuarantineStore(StorageClients storage)
{
    private const string ReportFile = "report.json";

    private Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) =>
        storage.ContainerAsync(StorageNames.QuarantineContainer, cancellationToken);

    public async Task<QuarantineReport> QuarantineAsync(
        BlobBaseClient original, string dataset, string source, string sha256, long sizeBytes, DateTimeOffset received,
        IReadOnlyList<DataProblem> problems, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var id = $"{CompactTime.Format(received)}-{sha256[..12]}";
        // Blob names stop at 1,024 characters: a long landing file name keeps its end (the extension).
        var fileName = Path.GetFileName(source) is { Length: > 0 } file ? file.Length > 255 ? file[^255..] : file : "upload";
        var originalPath = $"{dataset}/{id}/{fileName}";
        await DatasetBlobs.CopyAsync(original, container.GetBlobClient(originalPath), cancellationToken).ConfigureAwait(false);

        var report = new QuarantineReport(id, dataset, source, sha256, sizeBytes, received, $"{StorageNames.QuarantineContainer}/{originalPath}", problems);
        await container.GetBlobClient($"{dataset}/{id}/{ReportFile}")
            .UploadAsync(BinaryData.FromObjectAsJson(report, Json.Options), overwrite: true, cancellationToken).ConfigureAwait(false);
        return report;
    }

    public async Task<ListPage<QuarantineReport>> ListAsync(string dataset, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var pages = container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", $"{dataset}/", cancellationToken)
            .AsPages(continuationToken, pageSize);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            var reports = new List<QuarantineReport>();
            foreach (var item in page.Values.Where(item => item.IsPrefix))
            {
                // The original is copied before its report is written: a reject shows once its report exists.
                if (await BlobJson.ReadAsync<QuarantineReport>(container.GetBlobClient($"{item.Prefix}{ReportFile}"), cancellationToken).ConfigureAwait(false) is { } report)
                {
                    reports.Add(report);
                }
            }

            return new ListPage<QuarantineReport>(reports, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new ListPage<QuarantineReport>([], null);
    }
}
