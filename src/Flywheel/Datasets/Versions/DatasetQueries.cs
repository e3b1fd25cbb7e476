using System.Globalization;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Storage;

namespace Flywheel.Datasets.Versions;

/// <summary>Reads dataset versions back whole: the table row joined with the profile stored beside the bytes.</summary>
public sealed class DatasetQueries(DatasetCatalog catalog, DatasetBlobs blobs)
{
    /// <summary>A version by number or <c>latest</c>; null when the dataset or version does not exist (datasets have no aliases).</summary>
    public async Task<DatasetVersion?> GetAsync(string name, VersionReference version, CancellationToken cancellationToken)
    {
        var number = version.IsLatest ? await catalog.LatestVersionAsync(name, cancellationToken).ConfigureAwait(false) : version.Resolve(null);
        if (number is null)
        {
            return null;
        }

        var entity = await catalog.GetAsync(name, number.Value, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : await CompleteAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DatasetVersion> CompleteAsync(DatasetVersionEntity entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var profile = await blobs.ReadProfileAsync(entity.Dataset, entity.Sha256, cancellationToken).ConfigureAwait(false);
        return Summary(entity) with
        {
            Columns = profile is null ? entity.Columns : [.. profile.Schema.Select(c => c.Name)],
            Schema = profile?.Schema,
            Profile = profile?.Columns,
        };
    }

    /// <summary>A version without its schema and profile, as lists show it.</summary>
    public static DatasetVersion Summary(DatasetVersionEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new DatasetVersion
        {
            Dataset = entity.Dataset,
            Version = entity.Version,
            Sha256 = entity.Sha256,
            SizeBytes = entity.SizeBytes,
            Format = entity.Format,
            Rows = entity.Rows,
            ColumnCount = entity.ColumnCount,
            Columns = entity.Columns,
            Source = entity.Source,
            Created = entity.Created,
            PreviousVersion = entity.PreviousVersion,
            Warnings = entity.Warnings,
            ContentPath = $"{StorageNames.DatasetsContainer}/{DatasetBlobs.ContentPath(entity.Dataset, entity.Sha256)}",
            Models = entity.Models,
        };
    }

    public async Task<ListPage<DatasetVersion>> ListVersionsAsync(string name, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var page = await catalog.ListVersionsAsync(name, continuationToken, pageSize, cancellationToken).ConfigureAwait(false);
        return new ListPage<DatasetVersion>([.. page.Items.Select(Summary)], page.ContinuationToken);
    }
}
