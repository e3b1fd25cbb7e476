namespace Flywheel.Serving.Tensors;

/// <summary>Open Inference Protocol datatypes and the ONNX element types they stand for.</summary>
public static class OipDatatypes
{
    private static readonly Dictionary<string, string> s_toElement = new(StringComparer.Ordinal)
    {
        ["BOOL"] = "bool",
        ["INT8"] = "int8",
        ["INT16"] = "int16",
        ["INT32"] = "int32",
        ["INT64"] = "int64",
        ["UINT8"] = "uint8",
        ["UINT16"] = "uint16",
        ["UINT32"] = "uint32",
        ["UINT64"] = "uint64",
        ["FP16"] = "float16",
        ["FP32"] = "float",
        ["FP64"] = "double",
        ["BYTES"] = "string",
    };

    private static readonly Dictionary<string, string> s_toDatatype = s_toElement.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IEnumerable<string> All => s_toElement.Keys;

    public static string? ElementType(string datatype) => s_toElement.GetValueOrDefault(datatype);

    /// <summary>The datatype of an element type; non-tensor values (ZipMap maps) travel as BYTES holding JSON.</summary>
    public static string Datatype(string? elementType) => elementType is null ? "BYTES" : s_toDatatype.GetValueOrDefault(elementType, "BYTES");
}
