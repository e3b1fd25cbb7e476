using System.Globalization;
using Flywheel.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Serving;

/// <summary>
/// One model output copied out of ONNX Runtime (so the native result can be disposed at once):
/// a tensor as flat row-major data with its shape, a ZipMap-style sequence of maps as one
/// class-to-probability dictionary per row, or any other sequence as its items.
/// </summary>
public sealed record OutputValue(string Name, string ElementType, long[] Shape, Array? Data, IReadOnlyList<IReadOnlyDictionary<string, double>>? Maps, IReadOnlyList<OutputValue>? Items = null)
{
    // A batch repeats the same few class indices in every row's map: their strings are made once.
    private static readonly string[] s_smallLabels = [.. Enumerable.Range(0, 256).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    public long Rows => Maps?.Count ?? Items?.Count ?? (Shape.Length == 0 ? 1 : Shape[0]);

    public bool IsTensor => Data is not null;

    /// <summary>Elements per row (the product of all but the first dimension).</summary>
    public long RowWidth => Shape.Length <= 1 ? 1 : Shape.Skip(1).Aggregate(1L, (a, b) => a * b);

    public static OutputValue Read(string name, OrtValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.OnnxType == OnnxValueType.ONNX_TYPE_SEQUENCE)
        {
            return ReadSequence(name, value);
        }

        if (value.OnnxType == OnnxValueType.ONNX_TYPE_MAP)
        {
            return new OutputValue(name, "map", [1], null, [ReadMap(name, value)]);
        }

        if (value.OnnxType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            throw new OutputNotServableException($"Output '{name}' is {value.OnnxType}, which Flywheel cannot return as JSON.");
        }

        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => new(name, "float", shape, value.GetTensorDataAsSpan<float>().ToArray(), null),
            TensorElementType.Double => new(name, "double", shape, value.GetTensorDataAsSpan<double>().ToArray(), null),
            TensorElementType.Int64 => new(name, "int64", shape, value.GetTensorDataAsSpan<long>().ToArray(), null),
            TensorElementType.Int32 => new(name, "int32", shape, value.GetTensorDataAsSpan<int>().ToArray(), null),
            TensorElementType.Int16 => new(name, "int16", shape, value.GetTensorDataAsSpan<short>().ToArray(), null),
            TensorElementType.Int8 => new(name, "int8", shape, value.GetTensorDataAsSpan<sbyte>().ToArray(), null),
            TensorElementType.UInt8 => new(name, "uint8", shape, value.GetTensorDataAsSpan<byte>().ToArray(), null),
            TensorElementType.UInt16 => new(name, "uint16", shape, value.GetTensorDataAsSpan<ushort>().ToArray(), null),
            TensorElementType.UInt32 => new(name, "uint32", shape, value.GetTensorDataAsSpan<uint>().ToArray(), null),
            TensorElementType.UInt64 => new(name, "uint64", shape, value.GetTensorDataAsSpan<ulong>().ToArray(), null),
            TensorElementType.Bool => new(name, "bool", shape, value.GetTensorDataAsSpan<bool>().ToArray(), null),
            TensorElementType.String => new(name, "string", shape, value.GetStringTensorAsArray(), null),
            TensorElementType.Float16 => new(name, "float16", shape, Widen(value.GetTensorDataAsSpan<Float16>(), h => (float)h), null),
            TensorElementType.BFloat16 => new(name, "float", shape, Widen(value.GetTensorDataAsSpan<BFloat16>(), b => (float)b), null),
            var other => throw new OutputNotServableException($"Output '{name}' has element type {other}, which Flywheel cannot return as JSON."),
        };
    }

    // A sequence of maps is skl2onnx's ZipMap (one class-to-probability map per row); any other
    // sequence (SplitToSequence's tensors, nested sequences) keeps its items as they are.
    private static OutputValue ReadSequence(string name, OrtValue sequence)
    {
        var count = sequence.GetValueCount();
        var maps = new List<IReadOnlyDictionary<string, double>>(count);
        var items = new List<OutputValue>(count);
        for (var i = 0; i < count; i++)
        {
            // ONNX sequences are homogeneous: every item has the type of the first.
            using var item = sequence.GetValue(i, OrtAllocator.DefaultInstance);
            if (item.OnnxType == OnnxValueType.ONNX_TYPE_MAP)
            {
                maps.Add(ReadMap(name, item));
            }
            else if (item.OnnxType is OnnxValueType.ONNX_TYPE_TENSOR or OnnxValueType.ONNX_TYPE_SEQUENCE)
            {
                items.Add(Read(name, item));
            }
            else
            {
                throw new OutputNotServableException($"Output '{name}' is a sequence holding {item.OnnxType}, which Flywheel cannot return as JSON.");
            }
        }

        return maps.Count > 0
            ? new OutputValue(name, "map", [maps.Count], null, maps)
            : new OutputValue(name, "sequence", [items.Count], null, null, items);
    }

    /// <summary>The element at flat index <paramref name="index"/>, as a JSON-friendly value (NaN and infinities as null).</summary>
    public object? Element(long index) => Data!.GetValue(index) switch
    {
        float f => float.IsFinite(f) ? f : null,
        double d => double.IsFinite(d) ? d : null,
        var other => other,
    };

    private static float[] Widen<T>(ReadOnlySpan<T> narrow, Func<T, float> widen)
    {
        var floats = new float[narrow.Length];
        for (var i = 0; i < narrow.Length; i++)
        {
            floats[i] = widen(narrow[i]);
        }

        return floats;
    }

    // skl2onnx's ZipMap keys are int64 class indices or string labels; values are float (double and int64 read too).
    private static Dictionary<string, double> ReadMap(string name, OrtValue map)
    {
        using var keys = map.GetValue(0, OrtAllocator.DefaultInstance);
        using var values = map.GetValue(1, OrtAllocator.DefaultInstance);
        var labels = keys.GetTensorTypeAndShape().ElementDataType switch
        {
            TensorElementType.Int64 => ClassLabels(keys.GetTensorDataAsSpan<long>()),
            TensorElementType.String => keys.GetStringTensorAsArray(),
            var other => throw new OutputNotServableException($"Output '{name}' is a map with {other} keys, which Flywheel cannot return as JSON."),
        };
        var result = new Dictionary<string, double>(labels.Length, StringComparer.Ordinal);
        switch (values.GetTensorTypeAndShape().ElementDataType)
        {
            case TensorElementType.Float:
                Fill(result, labels, values.GetTensorDataAsSpan<float>(), v => v);
                break;
            case TensorElementType.Double:
                Fill(result, labels, values.GetTensorDataAsSpan<double>(), v => v);
                break;
            case TensorElementType.Int64:
                Fill(result, labels, values.GetTensorDataAsSpan<long>(), v => v);
                break;
            case var other:
                throw new OutputNotServableException($"Output '{name}' is a map with {other} values, which Flywheel cannot return as JSON.");
        }

        return result;
    }

    private static void Fill<T>(Dictionary<string, double> into, string[] labels, ReadOnlySpan<T> values, Func<T, double> widen)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            into[labels[i]] = widen(values[i]);
        }
    }

    private static string[] ClassLabels(ReadOnlySpan<long> keys)
    {
        var labels = new string[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            labels[i] = keys[i] is >= 0 and < 256 ? s_smallLabels[keys[i]] : keys[i].ToString(CultureInfo.InvariantCulture);
        }

        return labels;
    }
}
