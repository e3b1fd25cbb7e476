using Google.Protobuf;

namespace Flywheel.Onnx;

/// <summary>Reads of onnx.proto messages straight off the wire, for edits that must keep every other byte of a model.</summary>
internal static class OnnxWire
{
    // ValueInfoProto.name
    private const int ValueInfoName = 1;

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
}
