using Google.Protobuf;

namespace Flywheel.Onnx;

/// <summary>
/// Keeps only what a model's outputs need: nodes none of whose outputs lead to a graph output are
/// dropped, then graph inputs no remaining node reads. ML.NET's ONNX converter declares every column
/// of the data it was shown as an input (the label included) and keeps pass-through nodes for them,
/// so a trained model would otherwise ask callers for its label; it also adds outputs nobody asked
/// for. Every other byte stays as it was.
/// </summary>
public static class OnnxGraphPruning
{
    // Field numbers from onnx.proto.
    private const int ModelGraph = 7;
    private const int GraphNode = 1;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;
    private const int NodeInput = 1;
    private const int NodeOutput = 2;

    /// <param name="outputs">The graph outputs to keep; the others are dropped first.</param>
    public static byte[] Prune(byte[] model, IReadOnlyCollection<string> outputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputs);
        using var result = new MemoryStream(model.Length);
        var reader = new CodedInputStream(model);
        while (true)
        {
            var start = (int)reader.Position;
            var tag = reader.ReadTag();
            if (tag == 0)
            {
                break;
            }

            if (WireFormat.GetTagFieldNumber(tag) != ModelGraph)
            {
                reader.SkipLastField();
                result.Write(model, start, (int)reader.Position - start);
                continue;
            }

            var graph = Graph(reader.ReadBytes().ToByteArray(), outputs);
            Varint(result, WireFormat.MakeTag(ModelGraph, WireFormat.WireType.LengthDelimited));
            Varint(result, (uint)graph.Length);
            result.Write(graph);
        }

        return result.ToArray();
    }

    private sealed record Field(int Number, int Start, int End, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string? Name);

    private static byte[] Graph(byte[] graph, IReadOnlyCollection<string> outputs)
    {
        var fields = new List<Field>();
        var reader = new CodedInputStream(graph);
        while (true)
        {
            var start = (int)reader.Position;
            var tag = reader.ReadTag();
            if (tag == 0)
            {
                break;
            }

            var number = WireFormat.GetTagFieldNumber(tag);
            switch (number)
            {
                case GraphNode:
                    var (reads, writes) = Node(reader.ReadBytes());
                    fields.Add(new Field(number, start, (int)reader.Position, reads, writes, null));
                    break;
                case GraphInput or GraphOutput:
                    var name = OnnxWire.ValueInfoNameOf(reader.ReadBytes());
                    fields.Add(new Field(number, start, (int)reader.Position, [], [], name));
                    break;
                default:
                    reader.SkipLastField();
                    fields.Add(new Field(number, start, (int)reader.Position, [], [], null));
                    break;
            }
        }

        // Walk back from the graph's outputs: a node is live when something needed comes out of it.
        fields.RemoveAll(f => f.Number == GraphOutput && (f.Name is null || !outputs.Contains(f.Name)));
        var needed = fields.Where(f => f.Number == GraphOutput).Select(f => f.Name!).ToHashSet(StringComparer.Ordinal);
        var nodes = fields.Where(f => f.Number == GraphNode).ToList();
        var live = new HashSet<Field>();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var node in nodes.Where(n => !live.Contains(n) && n.Outputs.Any(needed.Contains)))
            {
                live.Add(node);
                needed.UnionWith(node.Inputs);
                changed = true;
            }
        }

        using var result = new MemoryStream(graph.Length);
        foreach (var field in fields)
        {
            var keep = field.Number switch
            {
                GraphNode => live.Contains(field),
                GraphInput => field.Name is not null && needed.Contains(field.Name),
                _ => true,
            };
            if (keep)
            {
                result.Write(graph, field.Start, field.End - field.Start);
            }
        }

        return result.ToArray();
    }

    private static (List<string> Inputs, List<string> Outputs) Node(ByteString node)
    {
        List<string> inputs = [], outputs = [];
        var reader = node.CreateCodedInput();
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case NodeInput:
                    inputs.Add(reader.ReadString());
                    break;
                case NodeOutput:
                    outputs.Add(reader.ReadString());
                    break;
                default:
                    reader.SkipLastField();
                    break;
            }
        }

        return (inputs, outputs);
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
}
