using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.ML.OnnxRuntime;

namespace Flywheel.Serving.Records;

/// <summary>
/// Reads the usual prediction body, <c>{"records": [{...}, ...]}</c> whose rows name exactly one
/// model's inputs (or its registered feature names) with values of their types, from its UTF-8
/// bytes straight into the input tensors: no document, no dictionary per row, no list of values.
/// It is built once per loaded model. Anything it does not read (another body shape, a missing,
/// unknown or repeated column, a value of another type, a row count the model cannot take) makes
/// <see cref="TryRead"/> return null, and the request takes the general path
/// (<see cref="RecordBatch"/>, <see cref="InputBinder"/>), which answers it, or refuses it with
/// its own message, exactly as before. Values convert as <see cref="TensorFactory"/> converts them.
/// </summary>
public sealed class RecordReader
{
    private static readonly byte[] s_records = "records"u8.ToArray();

    private readonly Input[] _inputs;
    private readonly Slot[]? _columns;
    private readonly Slot[]? _features;

    private RecordReader(Input[] inputs, Slot[]? columns, Slot[]? features)
    {
        _inputs = inputs;
        _columns = columns;
        _features = features;
    }

    /// <summary>The reader for a model, or null when its inputs are not all tensors of the types it reads.</summary>
    public static RecordReader? For(InputPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var specs = plan.Signature.Inputs;
        if (plan.Unsupported is not null || specs.Count == 0)
        {
            return null;
        }

        // One [N, F] input fed from the registered feature names, in their order; a feature named like
        // an input is left to the general path, which tells the two apart.
        var names = plan.FeatureNames;
        var byFeatures = specs.Count == 1 && names is { Count: > 0 } && specs[0].Shape!.Count == 2
            && (specs[0].Shape![1] <= 0 || specs[0].Shape![1] == names.Count)
            && names.Distinct(StringComparer.Ordinal).Count() == names.Count && !names.Contains(specs[0].Name, StringComparer.Ordinal);

        var inputs = new Input[specs.Count];
        var columns = new Slot[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var shape = spec.Shape!;
            var element = JsonTensorValues.Kind(spec.ElementType);
            if (element is null || shape.Count == 0)
            {
                return null;
            }

            // A column's values per row are known when every dimension past the batch is fixed; otherwise
            // only the feature names can say (and a model without them is read by the general path).
            var width = 1;
            for (var d = 1; d < shape.Count; d++)
            {
                width = shape[d] > 0 ? width * (int)shape[d] : 0;
            }

            if (width == 0)
            {
                columns = null;
            }
            else
            {
                columns?[i] = new Slot(Encoding.UTF8.GetBytes(spec.Name), i, 0, width);
            }

            inputs[i] = new Input(spec.Name, element.Value, [.. shape], byFeatures ? names!.Count : width);
        }

        Slot[]? features = byFeatures ? [.. names!.Select((name, index) => new Slot(Encoding.UTF8.GetBytes(name), 0, index, 1))] : null;
        if (columns is null && features is null)
        {
            return null;
        }

        return new RecordReader(inputs, columns, features);
    }

    /// <summary>The input tensors for the body's rows (the caller disposes them), or null when the general path must read it.</summary>
    public ModelInputs? TryRead(ReadOnlySpan<byte> body, out int rows) => TryRead(body, null, out rows, out var inputs) ? inputs : null;

    /// <summary>
    /// Reads the body's rows; false when the general path must read it. A body of one row is read into
    /// <paramref name="oneRow"/> when given (one array per input, of its one-row size: every value of the
    /// row is written), and <paramref name="inputs"/> is then null; otherwise it holds the input tensors
    /// (the caller disposes them).
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> body, Array[]? oneRow, out int rows, out ModelInputs? inputs)
    {
        inputs = null;
        var data = Read(body, oneRow is not null && Fits(oneRow) ? oneRow : null, out rows);
        if (data is null)
        {
            return false;
        }

        if (!ReferenceEquals(oneRow, data))
        {
            inputs = Tensors(data, rows);
        }

        return true;
    }

    private bool Fits(Array[] oneRow)
    {
        if (oneRow.Length != _inputs.Length)
        {
            return false;
        }

        for (var i = 0; i < oneRow.Length; i++)
        {
            if (oneRow[i].Length != _inputs[i].Width || !JsonTensorValues.Holds(oneRow[i], _inputs[i].Element))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The rows' values, one array per input (<paramref name="oneRow"/> itself for one row, when given); null when the general path must read them.</summary>
    private Array[]? Read(ReadOnlySpan<byte> body, Array[]? oneRow, out int rows)
    {
        rows = 0;
        if (!Utf8.IsValid(body))
        {
            return null;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        var data = new Array[_inputs.Length];
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(s_records)
                || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return null;
            }

            Slot[]? slots = null;
            // The row (1-based) that last named each slot: a column named twice in a row is the general path's.
            var count = Math.Max(_columns?.Length ?? 0, _features?.Length ?? 0);
            Span<int> seen = count <= 128 ? stackalloc int[count] : new int[count];
            var capacity = 1;
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                if (rows == 0 && oneRow is not null)
                {
                    oneRow.CopyTo(data, 0);
                }
                else if (rows == capacity || rows == 0)
                {
                    capacity = rows == 0 ? 1 : capacity * 2;
                    Grow(data, capacity);
                }

                var found = 0;
                var next = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    slots ??= _columns is not null && Find(_columns, ref reader, 0) >= 0 ? _columns : _features;
                    var index = slots is null ? -1 : Find(slots, ref reader, next);
                    if (index < 0 || seen[index] == rows + 1 || !reader.Read())
                    {
                        return null;
                    }

                    seen[index] = rows + 1;
                    found++;
                    next = index + 1;
                    var slot = slots![index];
                    if (!ReadCell(ref reader, _inputs[slot.Input], data[slot.Input], (rows * _inputs[slot.Input].Width) + slot.Offset, slot.Width))
                    {
                        return null;
                    }
                }

                if (reader.TokenType != JsonTokenType.EndObject || slots is null || found != slots.Length)
                {
                    return null;
                }

                rows++;
            }

            // The array ends, then the body: any other property (or a second root) is the general path's to judge.
            if (rows == 0 || reader.TokenType != JsonTokenType.EndArray || !reader.Read() || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }

        foreach (var input in _inputs)
        {
            // A fixed batch dimension is the general path's: it runs such models row by row, or refuses the count.
            if (input.Shape[0] > 0 && input.Shape[0] != rows)
            {
                return null;
            }
        }

        return rows == 1 && oneRow is not null ? oneRow : data;
    }

    private ModelInputs Tensors(Array[] data, int rows)
    {
        var inputs = new ModelInputs();
        try
        {
            for (var i = 0; i < _inputs.Length; i++)
            {
                var input = _inputs[i];
                var length = rows * input.Width;
                var values = data[i].Length == length ? data[i] : Trim(data[i], length);
                inputs.Add(input.Name, JsonTensorValues.Tensor(values, input.Dims(rows)));
            }

            return inputs;
        }
        catch
        {
            inputs.Dispose();
            throw;
        }
    }

    /// <summary>The slot named by the reader's property, trying <paramref name="hint"/> first (rows usually keep one order); -1 when none is.</summary>
    private static int Find(Slot[] slots, ref Utf8JsonReader reader, int hint)
    {
        if (hint < slots.Length && reader.ValueTextEquals(slots[hint].Name))
        {
            return hint;
        }

        for (var i = 0; i < slots.Length; i++)
        {
            if (i != hint && reader.ValueTextEquals(slots[i].Name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>One cell: a scalar when a row holds one value, else a flat array of exactly <paramref name="width"/> values (one-value arrays too, as the general path flattens them).</summary>
    private static bool ReadCell(ref Utf8JsonReader reader, Input input, Array into, int at, int width)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return width == 1 && JsonTensorValues.TryRead(ref reader, input.Element, into, at);
        }

        for (var i = 0; i < width; i++)
        {
            if (!reader.Read() || !JsonTensorValues.TryRead(ref reader, input.Element, into, at + i))
            {
                return false;
            }
        }

        return reader.Read() && reader.TokenType == JsonTokenType.EndArray;
    }

    private void Grow(Array[] data, int rows)
    {
        for (var i = 0; i < data.Length; i++)
        {
            var length = rows * _inputs[i].Width;
            var larger = JsonTensorValues.Allocate(_inputs[i].Element, length);
            if (data[i] is { } current)
            {
                Array.Copy(current, larger, current.Length);
            }

            data[i] = larger;
        }
    }

    private static Array Trim(Array values, int length)
    {
        var trimmed = Array.CreateInstance(values.GetType().GetElementType()!, length);
        Array.Copy(values, trimmed, length);
        return trimmed;
    }

    /// <param name="Width">Values per row: the fixed dimensions past the batch, or the feature count.</param>
    private sealed record Input(string Name, TensorValueKind Element, long[] Shape, int Width)
    {
        /// <summary>The dimensions for one row, made once: ONNX Runtime copies them.</summary>
        private readonly long[] _one = Dimensions(Shape, 1, Width);

        public long[] Dims(int rows) => rows == 1 ? _one : Dimensions(Shape, rows, Width);

        private static long[] Dimensions(long[] shape, int rows, int width)
        {
            var dims = (long[])shape.Clone();
            dims[0] = rows;
            if (dims.Length == 2)
            {
                dims[1] = width;
            }

            return dims;
        }
    }

    /// <param name="Input">The input the column feeds.</param>
    /// <param name="Offset">Where in the input's row its values go (a feature's index).</param>
    private sealed record Slot(byte[] Name, int Input, int Offset, int Width);
}
