using System.Globalization;
using Google.Protobuf;

namespace Flywheel.Onnx;

/// <summary>
/// A graph output made by skl2onnx's ZipMap (class-to-probability maps) and the probability tensor
/// the ZipMap reads, with the classes in the order ZipMap's maps list them (ascending keys).
/// </summary>
/// <param name="Order">For each class in <paramref name="Classes"/> order, its column in the tensor.</param>
public sealed record ZipMapOutput(string Output, string Tensor, IReadOnlyList<string> Classes, IReadOnlyList<int> Order);

/// <summary>
/// Makes a ZipMap's input tensor a graph output too, so a Run can fetch the probabilities as one
/// [rows, classes] tensor instead of a sequence of maps, which ONNX Runtime's C# API can only read
/// with three native calls per row (twice the cost of scoring a 100-tree forest). The model is
/// otherwise untouched: protobuf merges a repeated occurrence of an embedded message, so appending
/// a second <c>graph</c> field holding only the new outputs adds them to the graph.
/// </summary>
public static class ZipMapBypass
{
    /// <summary>The model with every ZipMap-made graph output's input tensor added as an output; the input itself when there is none.</summary>
    public static (byte[] Model, IReadOnlyList<ZipMapOutput> Outputs) Apply(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);

        // Parsing copies the graph (all of a large model's weights): only a model that names the operator can have one.
        if (model.AsSpan().IndexOf("ZipMap"u8) < 0)
        {
            return (model, []);
        }

        List<ZipMapOutput> found;
        try
        {
            found = Find(model);
        }
        catch (InvalidProtocolBufferException)
        {
            return (model, []);
        }

        if (found.Count == 0)
        {
            return (model, []);
        }

        using var buffer = new MemoryStream(model.Length + 256);
        buffer.Write(model);
        var graph = new MemoryStream();
        var graphOutput = new CodedOutputStream(graph);
        foreach (var zipMap in found)
        {
            graphOutput.WriteTag(OnnxWire.GraphOutput, WireFormat.WireType.LengthDelimited);
            graphOutput.WriteBytes(ValueInfo(zipMap.Tensor));
        }

        graphOutput.Flush();
        var modelOutput = new CodedOutputStream(buffer);
        modelOutput.WriteTag(OnnxWire.ModelGraph, WireFormat.WireType.LengthDelimited);
        modelOutput.WriteBytes(ByteString.CopyFrom(graph.ToArray()));
        modelOutput.Flush();
        return (buffer.ToArray(), found);
    }

    private static List<ZipMapOutput> Find(byte[] model)
    {
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        var zipMaps = new List<(string Input, string Output, List<string> Classes, bool Numeric)>();
        var input = new CodedInputStream(model);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != OnnxWire.ModelGraph)
            {
                input.SkipLastField();
                continue;
            }

            var graph = input.ReadBytes().CreateCodedInput();
            while ((tag = graph.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case OnnxWire.GraphNode:
                        if (ZipMap(graph.ReadBytes()) is { } node)
                        {
                            zipMaps.Add(node);
                        }

                        break;
                    case OnnxWire.GraphOutput:
                        if (OnnxWire.ValueInfoNameOf(graph.ReadBytes()) is { } name)
                        {
                            outputs.Add(name);
                        }

                        break;
                    default:
                        graph.SkipLastField();
                        break;
                }
            }
        }

        var found = new List<ZipMapOutput>();
        foreach (var (tensor, output, classes, numeric) in zipMaps.Where(z => outputs.Contains(z.Output) && !outputs.Contains(z.Input) && z.Classes.Count > 0))
        {
            // ZipMap's maps iterate in key order: numeric for int64 labels, ordinal for strings.
            var order = Enumerable.Range(0, classes.Count)
                .OrderBy(i => numeric ? long.Parse(classes[i], CultureInfo.InvariantCulture) : 0)
                .ThenBy(i => numeric ? string.Empty : classes[i], StringComparer.Ordinal)
                .ToArray();
            // An array, so every answer's ClassShareRows shares it (OutputValue.FromProbabilities).
            found.Add(new ZipMapOutput(output, tensor, order.Select(i => classes[i]).ToArray(), order));
        }

        return found;
    }

    private static (string Input, string Output, List<string> Classes, bool Numeric)? ZipMap(ByteString bytes)
    {
        var node = bytes.CreateCodedInput();
        string? opType = null, domain = null, first = null, output = null;
        var attributes = new List<ByteString>();
        uint tag;
        while ((tag = node.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case OnnxWire.NodeInput:
                    // Read every occurrence (to move past it), keep the first.
                    var input = node.ReadBytes().ToStringUtf8();
                    first ??= input;
                    break;
                case OnnxWire.NodeOutput:
                    var made = node.ReadBytes().ToStringUtf8();
                    output ??= made;
                    break;
                case OnnxWire.NodeOpType:
                    opType = node.ReadBytes().ToStringUtf8();
                    break;
                case OnnxWire.NodeDomain:
                    domain = node.ReadBytes().ToStringUtf8();
                    break;
                case OnnxWire.NodeAttribute:
                    attributes.Add(node.ReadBytes());
                    break;
                default:
                    node.SkipLastField();
                    break;
            }
        }

        if (opType != "ZipMap" || domain != "ai.onnx.ml" || first is null || output is null)
        {
            return null;
        }

        // Only a ZipMap's attributes are read: other operators' (a forest's thousands of node values) do not matter here.
        var classes = new List<string>();
        var numeric = true;
        foreach (var attribute in attributes)
        {
            ReadClasses(attribute, classes, ref numeric);
        }

        return (first, output, classes, numeric);
    }

    // AttributeProto classlabels_int64s (ints, packed or not) or classlabels_strings (strings).
    private static void ReadClasses(ByteString bytes, List<string> classes, ref bool numeric)
    {
        var attribute = bytes.CreateCodedInput();
        string? name = null;
        var ints = new List<long>();
        var strings = new List<string>();
        uint tag;
        while ((tag = attribute.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case OnnxWire.AttributeName:
                    name = attribute.ReadString();
                    break;
                case OnnxWire.AttributeInts when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    var packed = attribute.ReadBytes().CreateCodedInput();
                    while (!packed.IsAtEnd)
                    {
                        ints.Add(packed.ReadInt64());
                    }

                    break;
                case OnnxWire.AttributeInts:
                    ints.Add(attribute.ReadInt64());
                    break;
                case OnnxWire.AttributeStrings:
                    strings.Add(attribute.ReadBytes().ToStringUtf8());
                    break;
                default:
                    attribute.SkipLastField();
                    break;
            }
        }

        if (name == "classlabels_int64s")
        {
            classes.AddRange(ints.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        }
        else if (name == "classlabels_strings")
        {
            numeric = false;
            classes.AddRange(strings);
        }
    }

    // ValueInfoProto { name, type: TypeProto { tensor_type: { elem_type: FLOAT } } }; the shape is left to inference.
    private static ByteString ValueInfo(string name) =>
        OnnxWire.ValueInfo(name, t => t.WriteMessage(OnnxWire.TypeTensor, x => x.WriteInt64(OnnxWire.TensorElemType, OnnxWire.ElemFloat)));
}
