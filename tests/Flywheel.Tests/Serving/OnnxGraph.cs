using System.Text;

namespace Flywheel.Tests.Serving;

/// <summary>
/// Writes tiny ONNX models (ModelProto in protobuf wire format, field numbers from onnx.proto) for
/// output types none of the third-party test models has. Only what the tests use: one [N, width]
/// input of any element type (or none), nodes with an optional int attribute, tensor and sequence outputs.
/// </summary>
/// <param name="input">The graph input's name; null for a graph without inputs.</param>
/// <param name="inputType">The input's TensorProto element type (<see cref="Float"/> unless given).</param>
internal sealed class OnnxGraph(string? input, int width, int opset, int inputType = OnnxGraph.Float)
{
    public const int Float = 1;
    public const int UInt8 = 2;
    public const int Int8 = 3;
    public const int Int16 = 5;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Float16 = 10;
    public const int Double = 11;

    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _outputs = [];

    public OnnxGraph Node(string opType, string from, string to, (string Name, long Value)? attribute = null)
    {
        var node = Message(w =>
        {
            // A node without inputs (Constant) has none; several are named "a,b".
            foreach (var part in from.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                w.Text(1, part);
            }

            w.Text(2, to);
            w.Text(3, $"{opType}_{_nodes.Count}");
            w.Text(4, opType);
            if (attribute is var (name, value))
            {
                // AttributeProto: name = 1, i = 3, type = 20 (INT = 2).
                w.Bytes(5, Message(a =>
                {
                    a.Text(1, name);
                    a.Varint(3, value);
                    a.Varint(20, 2);
                }));
            }
        });
        _nodes.Add(node);
        return this;
    }

    public OnnxGraph TensorOutput(string name, int elementType) => Output(name, TensorType(elementType, withShape: false));

    /// <summary>seq(tensor(elementType)).</summary>
    public OnnxGraph SequenceOutput(string name, int elementType) =>
        Output(name, Message(t => t.Bytes(4, Message(s => s.Bytes(1, TensorType(elementType, withShape: false))))));

    /// <summary>optional(tensor(elementType)).</summary>
    public OnnxGraph OptionalOutput(string name, int elementType) =>
        Output(name, Message(t => t.Bytes(9, Message(o => o.Bytes(1, TensorType(elementType, withShape: false))))));

    public byte[] ToBytes() => Message(model =>
    {
        model.Varint(1, 8); // ir_version
        model.Text(2, "flywheel-tests");
        model.Bytes(7, Message(graph =>
        {
            foreach (var node in _nodes)
            {
                graph.Bytes(1, node);
            }

            graph.Text(2, "graph");
            if (input is not null)
            {
                graph.Bytes(11, ValueInfo(input, TensorType(inputType, withShape: true)));
            }

            foreach (var output in _outputs)
            {
                graph.Bytes(12, output);
            }
        }));
        model.Bytes(8, Message(o =>
        {
            o.Text(1, string.Empty);
            o.Varint(2, opset);
        }));
    });

    private OnnxGraph Output(string name, byte[] type)
    {
        _outputs.Add(ValueInfo(name, type));
        return this;
    }

    private static byte[] ValueInfo(string name, byte[] type) => Message(v =>
    {
        v.Text(1, name);
        v.Bytes(2, type);
    });

    // TypeProto.tensor_type = 1: elem_type = 1, shape = 2 (dims: "N" then width).
    private byte[] TensorType(int elementType, bool withShape) => Message(t => t.Bytes(1, Message(tensor =>
    {
        tensor.Varint(1, elementType);
        if (withShape)
        {
            tensor.Bytes(2, Message(shape =>
            {
                shape.Bytes(1, Message(d => d.Text(2, "N")));
                shape.Bytes(1, Message(d => d.Varint(1, width)));
            }));
        }
    })));

    private static byte[] Message(Action<Writer> write)
    {
        var writer = new Writer();
        write(writer);
        return writer.Stream.ToArray();
    }

    private sealed class Writer
    {
        public MemoryStream Stream { get; } = new();

        public void Varint(int field, long value)
        {
            Raw((ulong)field << 3);
            Raw((ulong)value);
        }

        public void Text(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Bytes(int field, byte[] value)
        {
            Raw(((ulong)field << 3) | 2);
            Raw((ulong)value.Length);
            Stream.Write(value);
        }

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                Stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            Stream.WriteByte((byte)value);
        }
    }
}
