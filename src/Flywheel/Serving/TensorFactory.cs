using System.Text.Json;
using Flywheel.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Serving;

/// <summary>
/// Builds ONNX Runtime input tensors from JSON values, checking every value against the input's
/// element type first, so nothing unchecked reaches ONNX Runtime. Errors name the input (or
/// column), the expected type and the value that came.
/// </summary>
public static class TensorFactory
{
    public static NamedOnnxValue Create(string inputName, string elementType, IReadOnlyList<JsonElement> values, int[] dims, string subject)
    {
        ArgumentNullException.ThrowIfNull(values);
        return elementType switch
        {
            "float" => Tensor(inputName, Convert(values, subject, elementType, v => v.ValueKind == JsonValueKind.Null ? float.NaN : (float)Number(v)), dims),
            "double" => Tensor(inputName, Convert(values, subject, elementType, v => v.ValueKind == JsonValueKind.Null ? double.NaN : Number(v)), dims),
            "float16" => Tensor(inputName, Convert(values, subject, elementType, v => (Float16)(float)Number(v)), dims),
            "int64" => Tensor(inputName, Convert(values, subject, elementType, v => Integer(v, long.MinValue, long.MaxValue)), dims),
            "int32" => Tensor(inputName, Convert(values, subject, elementType, v => (int)Integer(v, int.MinValue, int.MaxValue)), dims),
            "int16" => Tensor(inputName, Convert(values, subject, elementType, v => (short)Integer(v, short.MinValue, short.MaxValue)), dims),
            "int8" => Tensor(inputName, Convert(values, subject, elementType, v => (sbyte)Integer(v, sbyte.MinValue, sbyte.MaxValue)), dims),
            "uint8" => Tensor(inputName, Convert(values, subject, elementType, v => (byte)Integer(v, 0, byte.MaxValue)), dims),
            "uint16" => Tensor(inputName, Convert(values, subject, elementType, v => (ushort)Integer(v, 0, ushort.MaxValue)), dims),
            "uint32" => Tensor(inputName, Convert(values, subject, elementType, v => (uint)Integer(v, 0, uint.MaxValue)), dims),
            "uint64" => Tensor(inputName, Convert(values, subject, elementType, v => v.TryGetUInt64(out var u) ? u : throw new FormatException()), dims),
            "bool" => Tensor(inputName, Convert(values, subject, elementType, v => v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new FormatException(),
            }), dims),
            "string" => Tensor(inputName, Convert(values, subject, elementType, v => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new FormatException()), dims),
            _ => throw new PredictionInputException($"Input '{inputName}' has element type {elementType}, which Flywheel cannot feed from JSON."),
        };
    }

    /// <summary>Zero (or empty-string) inputs with every dynamic dimension set to 1, for the warm-up run.</summary>
    public static WarmUpValues WarmUpInputs(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var values = new List<NamedOnnxValue>();
        foreach (var input in signature.Inputs)
        {
            if (input.Kind != "tensor" || input.Shape is null || input.ElementType is null)
            {
                return new WarmUpValues([]);
            }

            var dims = input.Shape.Select(d => d < 0 ? 1 : (int)d).ToArray();
            var count = dims.Aggregate(1, (a, b) => a * b);
            var zero = JsonDocument.Parse(input.ElementType == "string" ? "\"\"" : input.ElementType == "bool" ? "false" : "0").RootElement;
            values.Add(Create(input.Name, input.ElementType, Enumerable.Repeat(zero, count).ToArray(), dims, input.Name));
        }

        return new WarmUpValues(values);
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
                throw new PredictionInputException($"{subject}: expected {Expected(elementType)}, got {got}{(values.Count > 1 ? $" (value {i + 1})" : string.Empty)}.");
            }
        }

        return result;
    }

    private static double Number(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw new FormatException();

    private static long Integer(JsonElement value, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new FormatException();
        }

        if (!value.TryGetInt64(out var integer))
        {
            // 3.0 is an integer; 3.5 is not.
            var number = value.GetDouble();
            if (number != Math.Floor(number) || number < min || number > max)
            {
                throw new FormatException();
            }

            integer = (long)number;
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

    private static NamedOnnxValue Tensor<T>(string name, T[] data, int[] dims) => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<T>(data, dims));

    public sealed class WarmUpValues(IReadOnlyList<NamedOnnxValue> values) : IDisposable
    {
        public IReadOnlyList<NamedOnnxValue> Values { get; } = values;

        public void Dispose()
        {
        }
    }
}
