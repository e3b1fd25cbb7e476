namespace Flywheel.Contracts.Registry;

/// <summary>
/// The type of one model input or output. Tensors have an element type and a shape (-1 for a
/// dynamic dimension, whose name, when the model gives one, is in <see cref="DimensionNames"/>);
/// sequences, maps and optionals nest their element type, e.g. skl2onnx's ZipMap is
/// <c>seq(map(int64,float))</c>.
/// </summary>
public sealed record ValueSpec
{
    public required string Name { get; init; }

    /// <summary>tensor, sparse_tensor, sequence, map or optional.</summary>
    public required string Kind { get; init; }

    /// <summary>The whole type as text: <c>tensor(float)</c>, <c>seq(map(int64,float))</c>.</summary>
    public required string Type { get; init; }

    public string? ElementType { get; init; }

    public IReadOnlyList<long>? Shape { get; init; }

    public IReadOnlyList<string?>? DimensionNames { get; init; }

    /// <summary>Map key element type.</summary>
    public string? KeyType { get; init; }

    /// <summary>Sequence element, map value or optional content.</summary>
    public ValueSpec? Element { get; init; }
}

public sealed record OpsetImport(string Domain, long Version);

/// <summary>What registration learns about a model: its interface and its provenance.</summary>
public sealed record ModelSignature
{
    public required IReadOnlyList<ValueSpec> Inputs { get; init; }

    public required IReadOnlyList<ValueSpec> Outputs { get; init; }

    public required IReadOnlyList<OpsetImport> OpsetImports { get; init; }

    public long IrVersion { get; init; }

    public string? ProducerName { get; init; }

    public string? ProducerVersion { get; init; }

    public string? Domain { get; init; }

    /// <summary>The model's own version field; null when unset (ONNX Runtime reports long.MaxValue then).</summary>
    public long? ModelVersion { get; init; }

    public string? GraphName { get; init; }

    public string? Description { get; init; }

    public IReadOnlyDictionary<string, string> MetadataProperties { get; init; } = new Dictionary<string, string>();
}
