using Google.Protobuf;

namespace Flywheel.Onnx;

/// <summary>
/// Removes graph inputs nothing reads. ML.NET's ONNX converter declares every column of the data it
/// was shown as an input, the label included, even when no node consumes it; a served model must
/// take exactly its features. Every other byte of the model is kept as it was.
/// </summary>
public static class OnnxInputPruning
{
    // Field numbers from onnx.proto.
    private const int ModelGraph = 7;
    private const int GraphNode = 1;
    private const int GraphInput = 11;
    private const int NodeInput = 1;
    private const int ValueInfoName = 1;

    /// <exception cref="InvalidOperationException">A node reads one of <paramref name="inputs"/>: removing it would break the graph.</exception>
    public static byte[] Remove(byte[] model, IReadOnlyCollection<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        using var result = new MemoryStream(model.Length);
        var reader = new CodedInputStream(model);
        uint tag;
        while (true)
        {
            var start = (int)reader.Position;
            if ((tag = reader.ReadTag()) == 0)
            {
                break;
            }

            if (WireFormat.GetTagFieldNumber(tag) != ModelGraph)
            {
                reader.SkipLastField();
                result.Write(model, start, (int)reader.Position - start);
                continue;
            }

            var graph = Graph(reader.ReadBytes().ToByteArray(), inputs);
            Varint(result, WireFormat.MakeTag(ModelGraph, WireFormat.WireType.LengthDelimited));
            Varint(result, (uint)graph.Length);
            result.Write(graph);
        }

        return result.ToArray();
    }

    private static byte[] Graph(byte[] graph, IReadOnlyCollection<string> inputs)
    {
        using var result = new MemoryStream(graph.Length);
        var reader = new CodedInputStream(graph);
        uint tag;
        while (true)
        {
            var start = (int)reader.Position;
            if ((tag = reader.ReadTag()) == 0)
            {
                break;
            }

            var field = WireFormat.GetTagFieldNumber(tag);
            if (field == GraphInput && inputs.Contains(Name(reader.ReadBytes())))
            {
                continue;
            }

            if (field == GraphNode && Reads(reader.ReadBytes(), inputs) is { } read)
            {
                throw new InvalidOperationException($"A node reads input '{read}': it cannot be removed.");
            }

            if (field is not (GraphInput or GraphNode))
            {
                reader.SkipLastField();
            }

            result.Write(graph, start, (int)reader.Position - start);
        }

        return result.ToArray();
    }

    private static void Varint(Stream stream, uint value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }

    private static string? Name(ByteString valueInfo)
    {
        var reader = valueInfo.CreateCodedInput();
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == ValueInfoName)
            {
                return reader.ReadString();
            }

            reader.SkipLastField();
        }

        return null;
    }

    private static string? Reads(ByteString node, IReadOnlyCollection<string> inputs)
    {
        var reader = node.CreateCodedInput();
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == NodeInput && reader.ReadString() is var input && inputs.Contains(input))
            {
                return input;
            }

            if (WireFormat.GetTagFieldNumber(tag) != NodeInput)
            {
                reader.SkipLastField();
            }
        }

        return null;
    }
}
