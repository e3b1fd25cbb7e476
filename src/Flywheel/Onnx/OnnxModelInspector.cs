using Flywheel.Contracts.Registry;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Onnx;

/// <summary>
/// Loads a model in ONNX Runtime to prove it can be served, and reads its signature. A model that
/// ONNX Runtime refuses (unknown op or domain, unsupported opset, not a protobuf, truncated) or that
/// declares no outputs or no inputs (it loads, but no request can be scored) is an <see cref="InvalidModelException"/>
/// carrying ONNX Runtime's own reason.
/// </summary>
public static class OnnxModelInspector
{
    public static ModelSignature Inspect(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        OnnxModelHeader header;
        try
        {
            header = OnnxModelHeader.Read(model);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidModelException($"Not an ONNX model: the bytes are not a valid protobuf ModelProto ({ex.Message}).", ex);
        }

        try
        {
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
            using var session = new InferenceSession(model, options);
            if (session.OutputMetadata.Count == 0)
            {
                throw new InvalidModelException("The model's graph declares no outputs: ONNX Runtime can load it but no prediction can ever be requested.");
            }

            if (session.InputMetadata.Count == 0)
            {
                // Every scoring route binds a request to the model's inputs: with none, no request can ever feed it.
                throw new InvalidModelException("The model's graph declares no inputs: no request can feed it. Export the model with its features as graph inputs.");
            }

            var metadata = session.ModelMetadata;
            return new ModelSignature
            {
                Inputs = [.. session.InputMetadata.Select(input => Describe(input.Key, input.Value))],
                Outputs = [.. session.OutputMetadata.Select(output => Describe(output.Key, output.Value))],
                OpsetImports = header.OpsetImports,
                IrVersion = header.IrVersion,
                ProducerName = NullIfEmpty(metadata.ProducerName) ?? header.ProducerName,
                ProducerVersion = NullIfEmpty(header.ProducerVersion),
                Domain = NullIfEmpty(metadata.Domain),
                // ONNX Runtime reports an unset model_version as long.MaxValue; the header knows it is unset.
                ModelVersion = header.ModelVersion,
                GraphName = NullIfEmpty(metadata.GraphName),
                Description = NullIfEmpty(metadata.Description),
                MetadataProperties = metadata.CustomMetadataMap,
            };
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidModelException($"ONNX Runtime cannot load the model: {ex.Message}", ex);
        }
    }

    public static ValueSpec Describe(string name, NodeMetadata node)
    {
        ArgumentNullException.ThrowIfNull(node);

        // ElementDataType throws for sequences and maps: the value type decides what may be asked.
        switch (node.OnnxValueType)
        {
            case OnnxValueType.ONNX_TYPE_TENSOR or OnnxValueType.ONNX_TYPE_SPARSETENSOR:
                var element = ElementName(node.ElementDataType);
                var kind = node.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR ? "tensor" : "sparse_tensor";
                return new ValueSpec
                {
                    Name = name,
                    Kind = kind,
                    Type = $"{kind}({element})",
                    ElementType = element,
                    Shape = [.. node.Dimensions.Select(d => (long)d)],
                    DimensionNames = node.SymbolicDimensions.Any(s => !string.IsNullOrEmpty(s))
                        ? [.. node.SymbolicDimensions.Select(s => string.IsNullOrEmpty(s) ? null : s)]
                        : null,
                };
            case OnnxValueType.ONNX_TYPE_SEQUENCE:
                var item = Describe(name, node.AsSequenceMetadata().ElementMeta);
                return new ValueSpec { Name = name, Kind = "sequence", Type = $"seq({item.Type})", Element = item with { Name = "element" } };
            case OnnxValueType.ONNX_TYPE_MAP:
                var map = node.AsMapMetadata();
                var key = ElementName(map.KeyDataType);
                var value = Describe(name, map.ValueMetadata);
                return new ValueSpec { Name = name, Kind = "map", Type = $"map({key},{ElementOf(value)})", KeyType = key, Element = value with { Name = "value" } };
            case OnnxValueType.ONNX_TYPE_OPTIONAL:
                var inner = Describe(name, node.AsOptionalMetadata().ElementMeta);
                return new ValueSpec { Name = name, Kind = "optional", Type = $"optional({inner.Type})", Element = inner with { Name = "element" } };
            default:
                return new ValueSpec { Name = name, Kind = "unknown", Type = node.OnnxValueType.ToString() };
        }
    }

    // Map values are tensors of one element; ONNX writes map(int64,float), not map(int64,tensor(float)).
    private static string ElementOf(ValueSpec value) => value.Kind == "tensor" ? value.ElementType! : value.Type;

    public static string ElementName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float",
        TensorElementType.Double => "double",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Int8 => "int8",
        TensorElementType.Int16 => "int16",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Bool => "bool",
        TensorElementType.String => "string",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
