namespace Flywheel.Contracts.Datasets;

/// <summary>One immutable version of a dataset: its bytes (by SHA-256), shape, schema, profile and lineage.</summary>
public sealed record DatasetVersion
{
    public required string Dataset { get; init; }

    public required int Version { get; init; }

    public required string Sha256 { get; init; }

    public required long SizeBytes { get; init; }

    public required string Format { get; init; }

    public required long Rows { get; init; }

    public required int ColumnCount { get; init; }

    /// <summary>The column names; lists leave them out for datasets too wide to keep them in the table row (the version itself has them).</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    public IReadOnlyList<SchemaColumn>? Schema { get; init; }

    public IReadOnlyDictionary<string, ColumnProfile>? Profile { get; init; }

    public required string Source { get; init; }

    public required DateTimeOffset Created { get; init; }

    public int? PreviousVersion { get; init; }

    /// <summary>Schema changes against the previous version, recorded rather than rejected when there is no contract.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Where the bytes are: <c>datasets/{name}/{sha256}</c>.</summary>
    public required string ContentPath { get; init; }

    /// <summary>Model versions trained on this dataset version (filled by the registry).</summary>
    public IReadOnlyList<ModelLink> Models { get; init; } = [];
}

public sealed record ModelLink(string Model, int Version);

/// <summary>A dataset and its newest version.</summary>
public sealed record DatasetSummary(string Name, int LatestVersion, DateTimeOffset Created, DateTimeOffset Updated);
