using System.ComponentModel.DataAnnotations;

namespace Flywheel.Datasets;

/// <summary>Dataset ingestion settings, bound from <c>Flywheel:Datasets</c>.</summary>
public sealed class DatasetOptions
{
    public const string SectionName = "Flywheel:Datasets";

    /// <summary>Largest file accepted, in bytes (413 above). Default 10 GiB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 10L << 30;

    /// <summary>How often LocalHost's watcher lists the landing container.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan LandingPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Attempts at a landing drop that fails on storage before it is quarantined (a drop that fails
    /// any other way is quarantined at once): one bad blob never holds the landing container up.
    /// </summary>
    [Range(1, 100)]
    public int LandingMaxAttempts { get; set; } = 5;

    /// <summary>Block size for the staging upload; larger blocks mean fewer requests per GB.</summary>
    [Range(1, int.MaxValue)]
    public int UploadBlockBytes { get; set; } = 8 << 20;

    /// <summary>
    /// Memory an ingest may use to collect the version's stored columns (sorted, counted numbers and
    /// text counts that drift comparisons read instead of the file), shared by the columns. A
    /// column whose numbers outgrow its share is not stored and is read from the content when
    /// compared. Default 64 MiB; 0 stores none.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long ColumnStoreBytes { get; set; } = 64L << 20;

    /// <summary>
    /// Largest file whose columns are stored at ingest (default 512 MiB). Storing costs ingest about
    /// half again on a 1 GB file, where ingest throughput matters most; a larger version gets its
    /// stored columns at its first comparison instead (one pass over its content then).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long ColumnStoreMaxFileBytes { get; set; } = 512L << 20;

    /// <summary>The stored-column memory for ingesting a file of <paramref name="length"/> bytes (unknown: stored).</summary>
    public long ColumnStoreBytesFor(long? length) => length > ColumnStoreMaxFileBytes ? 0 : ColumnStoreBytes;
}
