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
    /// <param name="outputs">The graph outputs to keep; the others are dropped first.</param>
    public static byte[] Prune(byte[] model, IReadOnlyCollection<string> outputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputs);
        return OnnxWire.RewriteGraph(model, graph => Graph(graph, outputs));
    }

    private sealed record Part(OnnxWire.Field Field, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string? Name);

    private static byte[] Graph(byte[] graph, IReadOnlyCollection<string> outputs)
    {
        var parts = OnnxWire.Fields(graph).Select(f => f.Number switch
        {
            OnnxWire.GraphNode => Node(f),
            OnnxWire.GraphInput or OnnxWire.GraphOutput => new Part(f, [], [], OnnxWire.ValueInfoNameOf(f.Value!)),
            _ => new Part(f, [], [], null),
        }).ToList();

        // Walk back from the graph's outputs: a node is live when something needed comes out of it.
        parts.RemoveAll(p => p.Field.Number == OnnxWire.GraphOutput && (p.Name is null || !outputs.Contains(p.Name)));
        var needed = parts.Where(p => p.Field.Number == OnnxWire.GraphOutput).Select(p => p.Name!).ToHashSet(StringComparer.Ordinal);
        var nodes = parts.Where(p => p.Field.Number == OnnxWire.GraphNode).ToList();
        var live = new HashSet<Part>();
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
        foreach (var part in parts)
        {
            var keep = part.Field.Number switch
            {
                OnnxWire.GraphNode => live.Contains(part),
                OnnxWire.GraphInput => part.Name is not null && needed.Contains(part.Name),
                _ => true,
            };
            if (keep)
            {
                result.Write(graph, part.Field.Start, part.Field.End - part.Field.Start);
            }
        }

        return result.ToArray();
    }

    private static Part Node(OnnxWire.Field field)
    {
        List<string> inputs = [], outputs = [];
        var reader = field.Value!.CreateCodedInput();
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case OnnxWire.NodeInput:
                    inputs.Add(reader.ReadString());
                    break;
                case OnnxWire.NodeOutput:
                    outputs.Add(reader.ReadString());
                    break;
                default:
                    reader.SkipLastField();
                    break;
            }
        }

        return new Part(field, inputs, outputs, null);
    }
}
