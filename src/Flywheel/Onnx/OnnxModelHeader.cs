using Flywheel.Contracts.Registry;
using Google.Protobuf;

namespace Flywheel.Onnx;

/// <summary>
/// The top-level fields of an ONNX <c>ModelProto</c> that ONNX Runtime's C# API does not expose
/// (IR version, opset imports, producer version). Read straight off the protobuf wire format,
/// skipping the graph, so no generated code is needed for five fields.
/// </summary>
public sealed record OnnxModelHeader(
    long IrVersion,
    string? ProducerName,
    string? ProducerVersion,
    string? Domain,
    long? ModelVersion,
    string? DocString,
    IReadOnlyList<OpsetImport> OpsetImports,
    IReadOnlyDictionary<string, string> MetadataProperties)
{
    // Field numbers from onnx.proto (ModelProto, OperatorSetIdProto, StringStringEntryProto).
    private const int IrVersionField = 1;
    private const int ProducerNameField = 2;
    private const int ProducerVersionField = 3;
    private const int DomainField = 4;
    private const int ModelVersionField = 5;
    private const int DocStringField = 6;
    private const int OpsetImportField = 8;
    private const int MetadataPropsField = 14;

    /// <exception cref="InvalidProtocolBufferException">The bytes are not a protobuf message.</exception>
    public static OnnxModelHeader Read(ReadOnlySpan<byte> model)
    {
        long irVersion = 0;
        long? modelVersion = null;
        string? producer = null, producerVersion = null, domain = null, doc = null;
        var opsets = new List<OpsetImport>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var input = new CodedInputStream(model.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case IrVersionField when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint:
                    irVersion = input.ReadInt64();
                    break;
                case ProducerNameField:
                    producer = input.ReadString();
                    break;
                case ProducerVersionField:
                    producerVersion = input.ReadString();
                    break;
                case DomainField:
                    domain = input.ReadString();
                    break;
                case ModelVersionField when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint:
                    modelVersion = input.ReadInt64();
                    break;
                case DocStringField:
                    doc = input.ReadString();
                    break;
                case OpsetImportField:
                    var (opsetDomain, version) = ReadPair(input.ReadBytes(), readVersion: true);
                    opsets.Add(new OpsetImport(opsetDomain ?? string.Empty, version));
                    break;
                case MetadataPropsField:
                    var (key, value) = ReadStrings(input.ReadBytes());
                    if (key is not null)
                    {
                        metadata[key] = value ?? string.Empty;
                    }

                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new OnnxModelHeader(irVersion, producer, producerVersion, domain, modelVersion, doc, opsets, metadata);
    }

    // OperatorSetIdProto: domain = 1 (string), version = 2 (int64).
    private static (string? Domain, long Version) ReadPair(ByteString bytes, bool readVersion)
    {
        var input = bytes.CreateCodedInput();
        string? domain = null;
        long version = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                domain = input.ReadString();
            }
            else if (readVersion && WireFormat.GetTagFieldNumber(tag) == 2)
            {
                version = input.ReadInt64();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return (domain, version);
    }

    // StringStringEntryProto: key = 1, value = 2.
    private static (string? Key, string? Value) ReadStrings(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        string? key = null, value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    key = input.ReadString();
                    break;
                case 2:
                    value = input.ReadString();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (key, value);
    }
}
