namespace Flywheel.Datasets;

/// <summary>Dataset ingestion settings, bound from <c>Flywheel:Datasets</c>.</summary>
public sealed class DatasetOptions
{
    public const string SectionName = "Flywheel:Datasets";

    /// <summary>Largest file accepted, in bytes (413 above). Default 10 GiB.</summary>
    public long MaxUploadBytes { get; set; } = 10L << 30;

    /// <summary>How often LocalHost's watcher lists the landing container.</summary>
    public TimeSpan LandingPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Attempts at a landing drop that fails on storage before it is quarantined (a drop that fails
    /// any other way is quarantined at once): one bad blob never holds the landing container up.
    /// </summary>
    public int LandingMaxAttempts { get; set; } = 5;

    /// <summary>Block size for the staging upload; larger blocks mean fewer requests per GB.</summary>
    public int UploadBlockBytes { get; set; } = 8 << 20;
}
