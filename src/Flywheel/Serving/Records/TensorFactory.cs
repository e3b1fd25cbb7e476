using System.Text.Json;
using Flywheel.Contracts.Registry;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Serving.Records;

/// <summary>
/// Builds ONNX Runtime input tensors from JSON values, checking every value against the input's
/// element type first, so nothing unchecked reaches ONNX Runtime. Errors name the input (or
/// column), the expected type and the value that came.
/// </summary>
public static class TensorFactory
{
    public static OrtValue Create(string inputName, string elementType, IReadOnlyList<JsonElement> values, long[] dims, string subject)
    {
        ArgumentNullException.ThrowIfNull(values);
        return elementType switch
        {
            "float" => Tensor(Convert(values, subject, elementType, v => v.ValueKind == JsonValueKind.Null ? float.NaN : Single(v)), dims),
            "double" => Tensor(Convert(values, subject, elementType, v => v.ValueKind == JsonValueKind.Null ? double.NaN : Number(v)), dims),
            "float16" => Tensor(Convert(values, subject, elementType, v => Half(v)), dims),
            "int64" => Tensor(Convert(values, subject, elementType, v => Integer(v, long.MinValue, long.MaxValue)), dims),
            "int32" => Tensor(Convert(values, subject, elementType, v => (int)Integer(v, int.MinValue, int.MaxValue)), dims),
            "int16" => Tensor(Convert(values, subject, elementType, v => (short)Integer(v, short.MinValue, short.MaxValue)), dims),
            "int8" => Tensor(Convert(values, subject, elementType, v => (sbyte)Integer(v, sbyte.MinValue, sbyte.MaxValue)), dims),
            "uint8" => Tensor(Convert(values, subject, elementType, v => (byte)Integer(v, 0, byte.MaxValue)), dims),
            "uint16" => Tensor(Convert(values, subject, elementType, v => (ushort)Integer(v, 0, ushort.MaxValue)), dims),
            "uint32" => Tensor(Convert(values, subject, elementType, v => (uint)Integer(v, 0, uint.MaxValue)), dims),
            "uint64" => Tensor(Convert(values, subject, elementType, v => v.TryGetUInt64(out var u) ? u : throw new FormatException()), dims),
            "bool" => Tensor(Convert(values, subject, elementType, v => v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new FormatException(),
            }), dims),
            "string" => Strings(Convert(values, subject, elementType, v => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new FormatException()), dims),
            _ => throw new PredictionInputException($"Input '{inputName}' has element type {elementType}, which Flywheel cannot feed from JSON."),
        };
    }

    /// <summary>Zero (or empty-string) inputs with every dynamic dimension set to 1, for the warm-up run; none when an input is not a tensor.</summary>
    public static ModelInputs WarmUpInputs(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return ModelInputs.Build(inputs =>
        {
            if (signature.Inputs.Any(i => i.Kind != "tensor" || i.Shape is null || i.ElementType is null))
            {
                return;
            }

            foreach (var input in signature.Inputs)
            {
                var dims = input.Shape!.Select(d => d < 0 ? 1 : d).ToArray();
                var count = (int)dims.Aggregate(1L, (a, b) => a * b);
                var zero = JsonDocument.Parse(input.ElementType == "string" ? "\"\"" : input.ElementType == "bool" ? "false" : "0").RootElement;
                inputs.Add(input.Name, Create(input.Name, input.ElementType!, Enumerable.Repeat(zero, count).ToArray(), dims, input.Name));
            }
        });
    }

    private static T[] Convert<T>(IReadOnlyList<JsonElement> values, string subject, string elementType, Func<JsonElement, T> convert)
    {
        var result = new T[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            try
            {
                result[i] = convert(values[i]);
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException)
            {
                var got = values[i].ValueKind == JsonValueKind.Undefined ? "nothing" : $"{Kind(values[i])} {Truncate(values[i].GetRawText())}";
                var range = ex is OverflowException ? $", beyond the range of {elementType}" : string.Empty;
                throw new PredictionInputException($"{subject}: expected {Expected(elementType)}, got {got}{range}{(values.Count > 1 ? $" (value {i + 1})" : string.Empty)}.");
            }
        }

        return result;
    }

    // A number beyond the type's range (1e400, or 1e39 for float) is refused: read as Infinity it would silently score nonsense.
    private static double Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.GetDouble() is var number ? double.IsFinite(number) ? number : throw new OverflowException() : throw new FormatException();

    private static float Single(JsonElement value) => (float)Number(value) is var single && float.IsFinite(single) ? single : throw new OverflowException();

    // Beyond float16's ±65,504 the cast gives infinity, which scores as nonsense: refused like float's 1e39.
    private static Float16 Half(JsonElement value) => (Float16)Single(value) is var half && !Float16.IsInfinity(half) ? half : throw new OverflowException();

    private static long Integer(JsonElement value, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new FormatException();
        }

        // 3.0 is an integer; 3.5 is not; 1e30 and 9223372036854775808 are beyond int64 and refused, never clamped.
        if (!value.TryGetInt64(out var integer))
        {
            var number = value.GetDouble();
            return number != Math.Floor(number) ? throw new FormatException()
                : WholeNumber.TryFrom(number, value.TryGetDecimal(out var exact) ? exact : null, min, max, out integer) ? integer : throw new OverflowException();
        }

        return integer < min || integer > max ? throw new OverflowException() : integer;
    }

    private static string Expected(string elementType) => elementType switch
    {
        "float" or "double" or "float16" => $"a number ({elementType}; null for missing)",
        "string" => "a string",
        "bool" => "true or false",
        _ => $"an integer ({elementType})",
    };

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => value.ValueKind.ToString(),
    };

    private static string Truncate(string text) => text.Length > 60 ? text[..60] + "…" : text;

    // The managed array is pinned and fed to ONNX Runtime in place, until the OrtValue is disposed.
    private static OrtValue Tensor<T>(T[] data, long[] dims)
        where T : unmanaged => OrtValue.CreateTensorValueFromMemory(data, dims);

    /// <summary>A string tensor: the strings are copied into native memory.</summary>
    internal static OrtValue Strings(string[] data, long[] dims)
    {
        var tensor = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, dims);
        try
        {
            for (var i = 0; i < data.Length; i++)
            {
                tensor.StringTensorSetElementAt(data[i].AsSpan(), i);
            }

            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }
}
