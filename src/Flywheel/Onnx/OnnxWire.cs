using Google.Protobuf;

namespace Flywheel.Onnx;

/// <summary>Reads and writes of onnx.proto messages straight off the wire, for edits that must keep every other byte of a model.</summary>
internal static class OnnxWire
{
    // Field numbers from onnx.proto.
    public const int ModelProducerName = 2;
    public const int ModelProducerVersion = 3;
    public const int ModelOpsetImport = 8;
    public const int ModelGraph = 7;
    public const int GraphNode = 1;
    public const int GraphInput = 11;
    public const int GraphOutput = 12;
    public const int NodeInput = 1;
    public const int NodeOutput = 2;
    public const int NodeName = 3;
    public const int NodeOpType = 4;
    public const int NodeAttribute = 5;
    public const int NodeDomain = 7;
    public const int AttributeName = 1;
    public const int AttributeInts = 8;
    public const int AttributeStrings = 9;
    public const int OpsetDomain = 1;
    public const int ValueInfoName = 1;
    public const int ValueInfoType = 2;
    public const int TypeTensor = 1;
    public const int TensorElemType = 1;

    // TensorProto.DataType values.
    public const int ElemFloat = 1;
    public const int ElemInt64 = 7;
    public const int ElemString = 8;

    /// <summary>The name of a ValueInfoProto (a graph input or output); null when it has none.</summary>
    public static string? ValueInfoNameOf(ByteString valueInfo)
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

    /// <summary>A field of a message: its number and where its bytes (tag included) are.</summary>
    public readonly record struct Field(int Number, int Start, int End, ByteString? Value);

    /// <summary>The top-level fields of a message, length-delimited ones with their value.</summary>
    public static List<Field> Fields(byte[] message)
    {
        var fields = new List<Field>();
        var reader = new CodedInputStream(message);
        while (true)
        {
            var start = (int)reader.Position;
            var tag = reader.ReadTag();
            if (tag == 0)
            {
                return fields;
            }

            ByteString? value = null;
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                value = reader.ReadBytes();
            }
            else
            {
                reader.SkipLastField();
            }

            fields.Add(new Field(WireFormat.GetTagFieldNumber(tag), start, (int)reader.Position, value));
        }
    }

    /// <summary>A copy of <paramref name="model"/> with its graph replaced by what <paramref name="rewrite"/> makes of it; <paramref name="append"/> writes extra model fields at the end.</summary>
    public static byte[] RewriteGraph(byte[] model, Func<byte[], byte[]> rewrite, Action<CodedOutputStream>? append = null)
    {
        using var result = new MemoryStream(model.Length);
        using (var output = new CodedOutputStream(result, leaveOpen: true))
        {
            foreach (var field in Fields(model))
            {
                if (field.Number == ModelGraph)
                {
                    output.WriteTag(ModelGraph, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(ByteString.CopyFrom(rewrite(field.Value!.ToByteArray())));
                }
                else
                {
                    output.WriteRaw(result, model, field);
                }
            }

            append?.Invoke(output);
        }

        return result.ToArray();
    }

    /// <summary>Copies a field's bytes as they are into <paramref name="stream"/>, the stream <paramref name="output"/> writes to.</summary>
    public static void WriteRaw(this CodedOutputStream output, Stream stream, byte[] message, Field field)
    {
        output.Flush();
        stream.Write(message, field.Start, field.End - field.Start);
    }

    /// <summary>A ValueInfoProto (a graph input or output): its name and the TypeProto <paramref name="type"/> writes.</summary>
    public static ByteString ValueInfo(string name, Action<CodedOutputStream> type) => Message(v =>
    {
        v.WriteString(ValueInfoName, name);
        v.WriteMessage(ValueInfoType, type);
    });

    /// <summary>A message built by <paramref name="write"/>, as bytes to nest in another.</summary>
    public static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }

        return ByteString.CopyFrom(buffer.ToArray());
    }

    public static void WriteMessage(this CodedOutputStream output, int field, Action<CodedOutputStream> write)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(Message(write));
    }

    public static void WriteString(this CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    public static void WriteInt64(this CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }
}
