using System.Globalization;
using Flywheel.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Serving;

/// <summary>
/// One model output copied out of ONNX Runtime (so the native result can be disposed at once):
/// a tensor as flat row-major data with its shape, or a ZipMap-style sequence of maps as one
/// class-to-probability dictionary per row.
/// </summary>
public sealed record OutputValue(string Name, string ElementType, long[] Shape, Array? Data, IReadOnlyList<IReadOnlyDictionary<string, double>>? Maps)
{
    public long Rows => Maps?.Count ?? (Shape.Length == 0 ? 1 : Shape[0]);

    /// <summary>Elements per row (the product of all but the first dimension).</summary>
    public long RowWidth => Shape.Length <= 1 ? 1 : Shape.Skip(1).Aggregate(1L, (a, b) => a * b);

    public static OutputValue Read(DisposableNamedOnnxValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.ValueType == OnnxValueType.ONNX_TYPE_SEQUENCE)
        {
            var maps = new List<IReadOnlyDictionary<string, double>>();
            foreach (var item in value.AsEnumerable<DisposableNamedOnnxValue>())
            {
                maps.Add(ReadMap(item));
            }

            return new OutputValue(value.Name, "map", [maps.Count], null, maps);
        }

        if (value.ValueType == OnnxValueType.ONNX_TYPE_MAP)
        {
            return new OutputValue(value.Name, "map", [1], null, [ReadMap(value)]);
        }

        return value.ElementType switch
        {
            TensorElementType.Float => Tensor<float>(value, "float"),
            TensorElementType.Double => Tensor<double>(value, "double"),
            TensorElementType.Int64 => Tensor<long>(value, "int64"),
            TensorElementType.Int32 => Tensor<int>(value, "int32"),
            TensorElementType.Int16 => Tensor<short>(value, "int16"),
            TensorElementType.Int8 => Tensor<sbyte>(value, "int8"),
            TensorElementType.UInt8 => Tensor<byte>(value, "uint8"),
            TensorElementType.UInt16 => Tensor<ushort>(value, "uint16"),
            TensorElementType.UInt32 => Tensor<uint>(value, "uint32"),
            TensorElementType.UInt64 => Tensor<ulong>(value, "uint64"),
            TensorElementType.Bool => Tensor<bool>(value, "bool"),
            TensorElementType.String => Tensor<string>(value, "string"),
            TensorElementType.Float16 => Widen(value),
            _ => throw new NotSupportedException($"Output '{value.Name}' has element type {value.ElementType}, which Flywheel cannot return as JSON."),
        };
    }

    /// <summary>The element at flat index <paramref name="index"/>, as a JSON-friendly value (NaN and infinities as null).</summary>
    public object? Element(long index) => Data!.GetValue(index) switch
    {
        float f => float.IsFinite(f) ? f : null,
        double d => double.IsFinite(d) ? d : null,
        var other => other,
    };

    private static OutputValue Tensor<T>(DisposableNamedOnnxValue value, string elementType)
    {
        var tensor = value.AsTensor<T>();
        return new OutputValue(value.Name, elementType, [.. tensor.Dimensions.ToArray().Select(d => (long)d)], tensor.ToArray(), null);
    }

    private static OutputValue Widen(DisposableNamedOnnxValue value)
    {
        var tensor = value.AsTensor<Float16>();
        return new OutputValue(value.Name, "float16", [.. tensor.Dimensions.ToArray().Select(d => (long)d)], tensor.ToArray().Select(h => (float)h).ToArray(), null);
    }

    private static Dictionary<string, double> ReadMap(DisposableNamedOnnxValue map)
    {
        // skl2onnx's ZipMap keys are int64 class indices or string labels; values are float.
        try
        {
            return map.AsDictionary<long, float>().ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => (double)p.Value, StringComparer.Ordinal);
        }
        catch (OnnxRuntimeException)
        {
            return map.AsDictionary<string, float>().ToDictionary(p => p.Key, p => (double)p.Value, StringComparer.Ordinal);
        }
    }

}
