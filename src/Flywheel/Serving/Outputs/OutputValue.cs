using System.Globalization;
using System.Text.Json;
using Flywheel.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Serving.Outputs;

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

    /// <summary>A ZipMap output built from the probability tensor it reads: the maps ZipMap would make, without reading them row by row.</summary>
    public static OutputValue FromProbabilities(ZipMapOutput zipMap, OrtValue probabilities)
    {
        ArgumentNullException.ThrowIfNull(zipMap);
        ArgumentNullException.ThrowIfNull(probabilities);
        return FromProbabilities(zipMap, probabilities.GetTensorDataAsSpan<float>(), probabilities.GetTensorTypeAndShape().Shape);
    }

    /// <summary>A ZipMap output built from its probability tensor's data and shape (<see cref="FromProbabilities(ZipMapOutput, OrtValue)"/>).</summary>
    public static OutputValue FromProbabilities(ZipMapOutput zipMap, ReadOnlySpan<float> data, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(zipMap);
        ArgumentNullException.ThrowIfNull(shape);
        var classes = zipMap.Classes.Count;
        if (shape.Length != 2 || shape[1] != classes)
        {
            throw new InvalidOperationException($"Output '{zipMap.Output}': its ZipMap reads a [{string.Join(", ", shape)}] tensor, not [rows, {classes}].");
        }

        var rows = (int)shape[0];
        var shares = new double[rows * classes];
        for (var row = 0; row < rows; row++)
        {
            var from = data.Slice(row * classes, classes);
            var to = shares.AsSpan(row * classes, classes);
            for (var c = 0; c < classes; c++)
            {
                to[c] = from[zipMap.Order[c]];
            }
        }

        // The classes are read, never written: a ZipMap's own array serves every answer.
        return new OutputValue(zipMap.Output, "map", [rows], null, new ClassShareRows(zipMap.Classes as string[] ?? [.. zipMap.Classes], shares));
    }

    // A sequence of maps is skl2onnx's ZipMap (one class-to-probability map per row); any other
    // sequence (SplitToSequence's tensors, nested sequences) keeps its items as they are.
    private static OutputValue ReadSequence(string name, OrtValue sequence)
    {
        var count = sequence.GetValueCount();
        var items = new List<OutputValue>();
        var maps = new MapRows(name, count);
        for (var i = 0; i < count; i++)
        {
            // ONNX sequences are homogeneous: every item has the type of the first.
            using var item = sequence.GetValue(i, OrtAllocator.DefaultInstance);
            if (item.OnnxType == OnnxValueType.ONNX_TYPE_MAP)
            {
                maps.Add(item);
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

        return items.Count == 0 && count > 0
            ? new OutputValue(name, "map", [count], null, maps.Complete())
            : new OutputValue(name, "sequence", [items.Count], null, null, items);
    }

    /// <summary>The element at flat index <paramref name="index"/>, as a JSON-friendly value (NaN and infinities as null).</summary>
    public object? Element(long index) => Data!.GetValue(index) switch
    {
        float f => float.IsFinite(f) ? f : null,
        double d => double.IsFinite(d) ? d : null,
        var other => other,
    };

    /// <summary>The element at flat index <paramref name="index"/> as a label's text (<see cref="PredictionAnswers.LabelText"/>), without boxing integer or string labels.</summary>
    public string LabelText(long index) => Data switch
    {
        long[] longs => ClassLabel(longs[index]),
        int[] ints => ClassLabel(ints[index]),
        string[] texts => texts[index],
        _ => PredictionAnswers.LabelText(Element(index)),
    };

    /// <summary>The element at flat index <paramref name="index"/> as a number, without boxing (not finite: NaN); false when the tensor is not numeric.</summary>
    public bool TryNumber(long index, out double value)
    {
        switch (Data)
        {
            case float[] floats:
                value = float.IsFinite(floats[index]) ? floats[index] : double.NaN;
                return true;
            case double[] doubles:
                value = double.IsFinite(doubles[index]) ? doubles[index] : double.NaN;
                return true;
            case long[] longs:
                value = longs[index];
                return true;
            case int[] ints:
                value = ints[index];
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>Writes the element at flat index <paramref name="index"/> as <see cref="Element"/> gives it (not finite: null), without boxing the common types.</summary>
    public void WriteElement(Utf8JsonWriter writer, long index)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (Data)
        {
            case float[] floats when float.IsFinite(floats[index]):
                writer.WriteNumberValue(floats[index]);
                break;
            case double[] doubles when double.IsFinite(doubles[index]):
                writer.WriteNumberValue(doubles[index]);
                break;
            case float[] or double[]:
                writer.WriteNullValue();
                break;
            case long[] longs:
                writer.WriteNumberValue(longs[index]);
                break;
            case int[] ints:
                writer.WriteNumberValue(ints[index]);
                break;
            case bool[] flags:
                writer.WriteBooleanValue(flags[index]);
                break;
            default:
                PredictionsJsonConverter.WriteValue(writer, Element(index));
                break;
        }
    }

    private static float[] Widen<T>(ReadOnlySpan<T> narrow, Func<T, float> widen)
    {
        var floats = new float[narrow.Length];
        for (var i = 0; i < narrow.Length; i++)
        {
            floats[i] = widen(narrow[i]);
        }

        return floats;
    }

    private static Dictionary<string, double> ReadMap(string name, OrtValue map)
    {
        var rows = new MapRows(name, 1);
        rows.Add(map);
        var row = rows.Complete()[0];
        return row.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// Reads the maps of one sequence. skl2onnx's ZipMap keys are int64 class indices or string
    /// labels, values float (double and int64 read too). The sequence is homogeneous, so element
    /// types are asked once; while every row has the first row's keys (ZipMap's case) the shares go
    /// to one array (<see cref="ClassShareRows"/>), and only a row with other keys turns the rows into
    /// dictionaries.
    /// </summary>
    private sealed class MapRows(string name, int capacity)
    {
        private TensorElementType _keyType;
        private TensorElementType _valueType;
        private long[]? _keys;
        private string[]? _classes;
        private double[]? _shares;
        private List<IReadOnlyDictionary<string, double>>? _dictionaries;
        private int _rows;

        public void Add(OrtValue map)
        {
            using var keys = map.GetValue(0, OrtAllocator.DefaultInstance);
            using var values = map.GetValue(1, OrtAllocator.DefaultInstance);
            if (_rows == 0)
            {
                _keyType = keys.GetTensorTypeAndShape().ElementDataType;
                _valueType = values.GetTensorTypeAndShape().ElementDataType;
            }

            string[]? labels = null;
            var same = _rows > 0 && _dictionaries is null && _keyType switch
            {
                TensorElementType.Int64 => keys.GetTensorDataAsSpan<long>().SequenceEqual(_keys),
                TensorElementType.String => (labels = keys.GetStringTensorAsArray()).AsSpan().SequenceEqual(_classes),
                _ => false,
            };
            labels ??= same ? _classes : Labels(keys);
            if (_rows == 0)
            {
                _classes = labels;
                _keys = _keyType == TensorElementType.Int64 ? keys.GetTensorDataAsSpan<long>().ToArray() : null;
                _shares = new double[capacity * labels!.Length];
            }
            else if (!same && _dictionaries is null)
            {
                _dictionaries = [.. new ClassShareRows(_classes!, _shares![..(_rows * _classes!.Length)]).Select(r => (IReadOnlyDictionary<string, double>)r.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal))];
            }

            if (_dictionaries is not null)
            {
                var row = new double[labels!.Length];
                Widen(values, row);
                _dictionaries.Add(labels.Zip(row).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
            }
            else
            {
                Widen(values, _shares.AsSpan(_rows * _classes!.Length, _classes.Length));
            }

            _rows++;
        }

        public IReadOnlyList<IReadOnlyDictionary<string, double>> Complete()
        {
            if (_dictionaries is not null)
            {
                return _dictionaries;
            }

            if (_classes is not { Length: > 0 })
            {
                return [.. Enumerable.Range(0, _rows).Select(_ => new Dictionary<string, double>())];
            }

            return new ClassShareRows(_classes, _shares!.Length == _rows * _classes.Length ? _shares : _shares[..(_rows * _classes.Length)]);
        }

        private string[] Labels(OrtValue keys) => _keyType switch
        {
            TensorElementType.Int64 => ClassLabels(keys.GetTensorDataAsSpan<long>()),
            TensorElementType.String => keys.GetStringTensorAsArray(),
            var other => throw new OutputNotServableException($"Output '{name}' is a map with {other} keys, which Flywheel cannot return as JSON."),
        };

        private void Widen(OrtValue values, Span<double> into)
        {
            switch (_valueType)
            {
                case TensorElementType.Float:
                    var floats = values.GetTensorDataAsSpan<float>();
                    for (var i = 0; i < into.Length; i++)
                    {
                        into[i] = floats[i];
                    }

                    break;
                case TensorElementType.Double:
                    values.GetTensorDataAsSpan<double>()[..into.Length].CopyTo(into);
                    break;
                case TensorElementType.Int64:
                    var longs = values.GetTensorDataAsSpan<long>();
                    for (var i = 0; i < into.Length; i++)
                    {
                        into[i] = longs[i];
                    }

                    break;
                default:
                    throw new OutputNotServableException($"Output '{name}' is a map with {_valueType} values, which Flywheel cannot return as JSON.");
            }
        }
    }

    /// <summary>A class index as a map key ("0", "1", ...), the common ones made once.</summary>
    public static string ClassLabel(long index) => index is >= 0 and < 256 ? s_smallLabels[index] : index.ToString(CultureInfo.InvariantCulture);

    private static string[] ClassLabels(ReadOnlySpan<long> keys)
    {
        var labels = new string[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            labels[i] = ClassLabel(keys[i]);
        }

        return labels;
    }
}
