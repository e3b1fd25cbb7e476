using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace Flywheel.Serving.Records;

/// <summary>The element types the JSON fast paths (<see cref="RecordReader"/>, and the Open Inference Protocol's <c>TensorRequestReader</c>) read.</summary>
public enum TensorValueKind
{
    Float,
    Double,
    Int64,
    Int32,
    Bool,
    String,
}

/// <summary>
/// Reads JSON values straight into typed tensor arrays for the fast paths, converting exactly as
/// <see cref="TensorFactory"/> converts a document's values (null is NaN for float and double; a
/// whole number is an integer, 3.0 too; beyond the type's range is refused). A value it refuses
/// sends the request to the general path, which refuses it with its own message.
/// </summary>
public static class JsonTensorValues
{
    /// <summary>The kind for an ONNX element type; null for those the fast paths leave to the general path.</summary>
    public static TensorValueKind? Kind(string? elementType) => elementType switch
    {
        "float" => TensorValueKind.Float,
        "double" => TensorValueKind.Double,
        "int64" => TensorValueKind.Int64,
        "int32" => TensorValueKind.Int32,
        "bool" => TensorValueKind.Bool,
        "string" => TensorValueKind.String,
        _ => null,
    };

    public static Array Allocate(TensorValueKind kind, int length) => kind switch
    {
        TensorValueKind.Float => new float[length],
        TensorValueKind.Double => new double[length],
        TensorValueKind.Int64 => new long[length],
        TensorValueKind.Int32 => new int[length],
        TensorValueKind.Bool => new bool[length],
        _ => new string[length],
    };

    /// <summary>Whether <paramref name="values"/> is the array <see cref="Allocate"/> makes for <paramref name="kind"/>.</summary>
    public static bool Holds(Array values, TensorValueKind kind) => kind switch
    {
        TensorValueKind.Float => values is float[],
        TensorValueKind.Double => values is double[],
        TensorValueKind.Int64 => values is long[],
        TensorValueKind.Int32 => values is int[],
        TensorValueKind.Bool => values is bool[],
        _ => values is string[],
    };

    /// <summary>The tensor over <paramref name="values"/> (numbers pinned in place, strings copied to native memory).</summary>
    public static OrtValue Tensor(Array values, long[] dims) => values switch
    {
        float[] floats => OrtValue.CreateTensorValueFromMemory(floats, dims),
        double[] doubles => OrtValue.CreateTensorValueFromMemory(doubles, dims),
        long[] longs => OrtValue.CreateTensorValueFromMemory(longs, dims),
        int[] ints => OrtValue.CreateTensorValueFromMemory(ints, dims),
        bool[] flags => OrtValue.CreateTensorValueFromMemory(flags, dims),
        _ => TensorFactory.Strings((string[])values, dims),
    };

    /// <summary>Reads the reader's current value into <paramref name="into"/>[<paramref name="at"/>]; false when it is not one of <paramref name="element"/>.</summary>
    public static bool TryRead(ref Utf8JsonReader reader, TensorValueKind element, Array into, int at)
    {
        var token = reader.TokenType;
        switch (element)
        {
            case TensorValueKind.Float when token == JsonTokenType.Null:
                ((float[])into)[at] = float.NaN;
                return true;
            case TensorValueKind.Double when token == JsonTokenType.Null:
                ((double[])into)[at] = double.NaN;
                return true;
            case TensorValueKind.Bool when token is JsonTokenType.True or JsonTokenType.False:
                ((bool[])into)[at] = token == JsonTokenType.True;
                return true;
            case TensorValueKind.String when token == JsonTokenType.String:
                // Unescaped text is its own UTF-8 (the readers check each body is valid UTF-8): no string made per value.
                ((string[])into)[at] = reader.ValueIsEscaped || reader.HasValueSequence ? reader.GetString()! : Utf8Strings.Get(reader.ValueSpan);
                return true;
            case TensorValueKind.Float or TensorValueKind.Double or TensorValueKind.Int64 or TensorValueKind.Int32 when token == JsonTokenType.Number:
                return ReadNumber(ref reader, element, into, at);
            default:
                return false;
        }
    }

    // Beyond the type's range (1e400, 1e39 for float) or not whole for an integer: the general path refuses it with its message.
    private static bool ReadNumber(ref Utf8JsonReader reader, TensorValueKind element, Array into, int at)
    {
        if (element is TensorValueKind.Int64 or TensorValueKind.Int32)
        {
            if (!reader.TryGetInt64(out var integer)
                && !WholeNumber.TryFrom(reader.GetDouble(), reader.TryGetDecimal(out var exact) ? exact : null, long.MinValue, long.MaxValue, out integer))
            {
                return false;
            }

            if (element == TensorValueKind.Int64)
            {
                ((long[])into)[at] = integer;
                return true;
            }

            if (integer is < int.MinValue or > int.MaxValue)
            {
                return false;
            }

            ((int[])into)[at] = (int)integer;
            return true;
        }

        var value = reader.GetDouble();
        if (!double.IsFinite(value))
        {
            return false;
        }

        if (element == TensorValueKind.Double)
        {
            ((double[])into)[at] = value;
            return true;
        }

        var single = (float)value;
        if (!float.IsFinite(single))
        {
            return false;
        }

        ((float[])into)[at] = single;
        return true;
    }
}
