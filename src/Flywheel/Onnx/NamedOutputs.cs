using System.Globalization;
using System.Text;
using Google.Protobuf;

namespace Flywheel.Onnx;

/// <summary>
/// Gives a trained model the outputs a caller reads, as scikit-learn's converters do: a classifier
/// answers <c>label</c> (the class as it is in the data: int64 when every class is an integer, else
/// a string) and <c>probabilities</c> (one map of class to probability per row, ZipMap); a
/// regressor answers <c>prediction</c>. ML.NET's own outputs are a key or a boolean, a score vector
/// without class names and, for binary models, only the positive class's probability. The nodes are
/// appended to the graph; the graph's previous outputs are replaced.
/// </summary>
public static class NamedOutputs
{
    public const string Label = "label";
    public const string Probabilities = "probabilities";
    public const string Prediction = "prediction";

    private const string MlDomain = "ai.onnx.ml";

    // onnx.proto field numbers and enum values only these edits use (OnnxWire has the shared ones).
    private const int AttributeInt = 3, AttributeTensor = 5, AttributeType = 20;
    private const int AttributeTypeInt = 2, AttributeTypeTensor = 4, AttributeTypeInts = 7, AttributeTypeStrings = 8;
    private const int TensorDims = 1, TensorDataType = 2, TensorFloatData = 4, TensorStringData = 6, TensorInt64Data = 7;
    private const int Float = OnnxWire.ElemFloat, Int64 = OnnxWire.ElemInt64, String = OnnxWire.ElemString;
    private const int TypeSequence = 4, TypeMap = 5, TensorShape = 2, ShapeDim = 1, DimValue = 1, DimParam = 2;
    private const int SequenceElemType = 1, MapKeyType = 1, MapValueType = 2, OpsetVersion = 2;

    /// <param name="predicted">The output holding the predicted class: a boolean (binary) or a 1-based key (multiclass).</param>
    /// <param name="scores">The positive class's probability, [N,1] (<paramref name="binary"/>), or every class's, [N,classes].</param>
    /// <param name="classes">The class names in the order of the keys and scores.</param>
    public static byte[] Classifier(byte[] model, string predicted, string scores, bool binary, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(classes);
        var integers = classes.All(c => long.TryParse(c, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n.ToString(CultureInfo.InvariantCulture) == c);
        // A key counts from 1 (0 is "missing"); a boolean from 0. Index 0 of the lookup is unused for keys.
        var lookup = binary ? classes.ToList() : classes.Prepend(classes[0]).ToList();
        var nodes = new List<ByteString>
        {
            Node("Cast", [predicted], ["fw.label.index"], a => IntAttribute(a, "to", Int64)),
            Node("Constant", [], ["fw.label.classes"], a => TensorAttribute(a, "value", lookup, integers)),
            Node("Gather", ["fw.label.classes", "fw.label.index"], [Label], a => IntAttribute(a, "axis", 0)),
        };
        var probabilities = scores;
        if (binary)
        {
            nodes.Add(Node("Constant", [], ["fw.one"], a => a.WriteMessage(OnnxWire.NodeAttribute, t =>
            {
                t.WriteString(OnnxWire.AttributeName, "value");
                t.WriteInt64(AttributeType, AttributeTypeTensor);
                t.WriteMessage(AttributeTensor, v =>
                {
                    v.WriteInt64(TensorDataType, Float);
                    v.WriteTag(TensorFloatData, WireFormat.WireType.Fixed32);
                    v.WriteFloat(1);
                });
            })));
            nodes.Add(Node("Sub", ["fw.one", scores], ["fw.negative"]));
            nodes.Add(Node("Concat", ["fw.negative", scores], ["fw.probabilities"], a => IntAttribute(a, "axis", 1)));
            probabilities = "fw.probabilities";
        }

        nodes.Add(Node("ZipMap", [probabilities], [Probabilities], a =>
        {
            if (integers)
            {
                a.WriteMessage(OnnxWire.NodeAttribute, t =>
                {
                    t.WriteString(OnnxWire.AttributeName, "classlabels_int64s");
                    t.WriteInt64(AttributeType, AttributeTypeInts);
                    foreach (var c in classes)
                    {
                        t.WriteInt64(OnnxWire.AttributeInts, long.Parse(c, CultureInfo.InvariantCulture));
                    }
                });
            }
            else
            {
                a.WriteMessage(OnnxWire.NodeAttribute, t =>
                {
                    t.WriteString(OnnxWire.AttributeName, "classlabels_strings");
                    t.WriteInt64(AttributeType, AttributeTypeStrings);
                    foreach (var c in classes)
                    {
                        t.WriteTag(OnnxWire.AttributeStrings, WireFormat.WireType.LengthDelimited);
                        t.WriteBytes(ByteString.CopyFrom(Encoding.UTF8.GetBytes(c)));
                    }
                });
            }
        }, MlDomain));

        var outputs = new[]
        {
            OnnxWire.ValueInfo(Label, t => t.WriteMessage(OnnxWire.TypeTensor, TensorType(integers ? Int64 : String))),
            OnnxWire.ValueInfo(Probabilities, t => t.WriteMessage(TypeSequence, s => s.WriteMessage(SequenceElemType, e => e.WriteMessage(TypeMap, m =>
            {
                m.WriteInt64(MapKeyType, integers ? Int64 : String);
                m.WriteMessage(MapValueType, v => v.WriteMessage(OnnxWire.TypeTensor, x => x.WriteInt64(OnnxWire.TensorElemType, Float)));
            })))),
        };
        return Replace(model, nodes, outputs);
    }

    /// <param name="score">The output holding the predicted value, [N,1].</param>
    public static byte[] Regressor(byte[] model, string score)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Replace(model,
            [Node("Identity", [score], [Prediction])],
            [OnnxWire.ValueInfo(Prediction, t => t.WriteMessage(OnnxWire.TypeTensor, TensorType(Float)))]);
    }

    private static byte[] Replace(byte[] model, IReadOnlyList<ByteString> nodes, IReadOnlyList<ByteString> outputs)
    {
        var hasMl = OnnxWire.Fields(model).Any(f => f.Number == OnnxWire.ModelOpsetImport
            && OnnxWire.Fields(f.Value!.ToByteArray()).Any(d => d.Number == OnnxWire.OpsetDomain && d.Value!.ToStringUtf8() == MlDomain));
        return OnnxWire.RewriteGraph(model, graph =>
        {
            using var result = new MemoryStream(graph.Length + 1024);
            using (var output = new CodedOutputStream(result, leaveOpen: true))
            {
                foreach (var field in OnnxWire.Fields(graph).Where(f => f.Number != OnnxWire.GraphOutput))
                {
                    output.WriteRaw(result, graph, field);
                }

                foreach (var node in nodes)
                {
                    output.WriteTag(OnnxWire.GraphNode, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(node);
                }

                foreach (var value in outputs)
                {
                    output.WriteTag(OnnxWire.GraphOutput, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(value);
                }
            }

            return result.ToArray();
        }, hasMl ? null : m => m.WriteMessage(OnnxWire.ModelOpsetImport, o =>
        {
            o.WriteString(OnnxWire.OpsetDomain, MlDomain);
            o.WriteInt64(OpsetVersion, 1);
        }));
    }

    private static ByteString Node(string op, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, Action<CodedOutputStream>? attributes = null, string? domain = null) =>
        OnnxWire.Message(n =>
        {
            foreach (var input in inputs)
            {
                n.WriteString(OnnxWire.NodeInput, input);
            }

            foreach (var output in outputs)
            {
                n.WriteString(OnnxWire.NodeOutput, output);
            }

            n.WriteString(OnnxWire.NodeName, outputs[0]);
            n.WriteString(OnnxWire.NodeOpType, op);
            attributes?.Invoke(n);
            if (domain is not null)
            {
                n.WriteString(OnnxWire.NodeDomain, domain);
            }
        });

    private static void IntAttribute(CodedOutputStream node, string name, long value) => node.WriteMessage(OnnxWire.NodeAttribute, a =>
    {
        a.WriteString(OnnxWire.AttributeName, name);
        a.WriteInt64(AttributeInt, value);
        a.WriteInt64(AttributeType, AttributeTypeInt);
    });

    private static void TensorAttribute(CodedOutputStream node, string name, IReadOnlyList<string> values, bool integers) => node.WriteMessage(OnnxWire.NodeAttribute, a =>
    {
        a.WriteString(OnnxWire.AttributeName, name);
        a.WriteInt64(AttributeType, AttributeTypeTensor);
        a.WriteMessage(AttributeTensor, t =>
        {
            t.WriteInt64(TensorDims, values.Count);
            t.WriteInt64(TensorDataType, integers ? Int64 : String);
            foreach (var value in values)
            {
                if (integers)
                {
                    t.WriteInt64(TensorInt64Data, long.Parse(value, CultureInfo.InvariantCulture));
                }
                else
                {
                    t.WriteTag(TensorStringData, WireFormat.WireType.LengthDelimited);
                    t.WriteBytes(ByteString.CopyFrom(Encoding.UTF8.GetBytes(value)));
                }
            }
        });
    });

    /// <summary>A [N,1] tensor of <paramref name="elementType"/>, N named.</summary>
    private static Action<CodedOutputStream> TensorType(int elementType) => t =>
    {
        t.WriteInt64(OnnxWire.TensorElemType, elementType);
        t.WriteMessage(TensorShape, s =>
        {
            s.WriteMessage(ShapeDim, d => d.WriteString(DimParam, "N"));
            s.WriteMessage(ShapeDim, d => d.WriteInt64(DimValue, 1));
        });
    };

}
