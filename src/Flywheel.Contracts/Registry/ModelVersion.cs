namespace Flywheel.Contracts.Registry;

/// <summary>The dataset version a model was trained on.</summary>
public sealed record DatasetReference(string Name, int Version);

/// <summary>What a registration may say about a model besides its bytes.</summary>
public sealed record ModelRegistration
{
    public string? Description { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    public DatasetReference? Dataset { get; init; }

    public string? RunId { get; init; }

    /// <summary>Column order for models with a single [N, F] input.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>How Flywheel trained the model; null for models made elsewhere.</summary>
    public TrainingRecord? Training { get; init; }

    public static ModelRegistration Empty { get; } = new();
}

/// <summary>One registered version of a model: immutable bytes (by SHA-256) plus its annotations and lineage.</summary>
public sealed record ModelVersion
{
    public required string Model { get; init; }

    public required int Version { get; init; }

    public required string Sha256 { get; init; }

    public required long SizeBytes { get; init; }

    public required DateTimeOffset Created { get; init; }

    public string? CreatedBy { get; init; }

    public string? Description { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public DatasetReference? Dataset { get; init; }

    public string? RunId { get; init; }

    public IReadOnlyList<string>? FeatureNames { get; init; }

    public TrainingRecord? Training { get; init; }

    public bool Archived { get; init; }

    public DateTimeOffset? ArchivedAt { get; init; }

    /// <summary>Aliases that point to this version now.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Where the bytes are: <c>models/{name}/{sha256}.onnx</c>.</summary>
    public required string ContentPath { get; init; }

    public ModelSignature? Signature { get; init; }
}

/// <summary>
/// How a Flywheel training pipeline made a version: the pipeline and trainer, its parameters and
/// seed, the task and the metric it was chosen on, the feature columns it takes and each one's
/// permutation importance on the test rows (the drop in the metric when the column is shuffled),
/// and the split it was trained on (the rows it saw, which a later gate leaves out).
/// </summary>
/// <param name="Split">The split's blob in the <c>datasets</c> container (null for versions trained before splits were recorded).</param>
/// <param name="Label">The column it was trained to predict.</param>
public sealed record TrainingRecord(
    string PipelineId,
    string Task,
    string Trainer,
    IReadOnlyDictionary<string, double> Parameters,
    int Seed,
    string Metric,
    IReadOnlyList<string> Features,
    IReadOnlyDictionary<string, double> Importance,
    string Report,
    string? Split = null,
    string? Label = null);

/// <summary>A model with its newest version and aliases.</summary>
public sealed record ModelSummary(string Name, int LatestVersion, IReadOnlyDictionary<string, int> Aliases, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>A model with every version (summaries) and its aliases.</summary>
public sealed record ModelDetails(string Name, int LatestVersion, IReadOnlyDictionary<string, int> Aliases, DateTimeOffset Created, DateTimeOffset Updated, IReadOnlyList<ModelVersion> Versions, string? ContinuationToken);

/// <summary>One entry of a model's audit history.</summary>
/// <param name="Detail">Why, for the entries a retraining writes: its trigger, the checks that failed, the outcome.</param>
public sealed record HistoryEntry(long Sequence, HistoryAction Action, string? Alias, int? From, int? To, int? Version, DateTimeOffset When, string? By, string? Detail = null);
