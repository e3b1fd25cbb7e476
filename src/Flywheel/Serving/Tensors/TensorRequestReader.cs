using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Flywheel.Serving.Records;

namespace Flywheel.Serving.Tensors;

/// <summary>
/// Reads the usual Open Inference Protocol request, <c>{"id"?, "inputs": [{"name", "shape", "datatype",
/// "data": [...]}], "outputs"?: [{"name"}]}</c> naming each of one model's inputs once with its datatype
/// and a shape its signature takes, from its UTF-8 bytes straight into the input tensors: no document,
/// no list of values. It is built once per loaded model. Anything else (another order than name first
/// and shape before data, nested data, parameters, a value of another type, a shape the model runs row
/// by row) makes <see cref="TryRead"/> return null, and the request takes the general path
/// (<see cref="TensorRequest"/>, <c>TensorInference</c>'s checks), which answers it, or refuses
/// it with its own message, exactly as before.
/// </summary>
public sealed class TensorRequestReader
{
    private static readonly byte[] s_inputs = "inputs"u8.ToArray();
    private static readonly byte[] s_id = "id"u8.ToArray();
    private static readonly byte[] s_outputs = "outputs"u8.ToArray();
    private static readonly byte[] s_name = "name"u8.ToArray();
    private static readonly byte[] s_shape = "shape"u8.ToArray();
    private static readonly byte[] s_datatype = "datatype"u8.ToArray();
    private static readonly byte[] s_data = "data"u8.ToArray();

    private readonly Input[] _inputs;
    private readonly IReadOnlySet<string> _outputNames;

    private TensorRequestReader(Input[] inputs, IReadOnlySet<string> outputNames)
    {
        _inputs = inputs;
        _outputNames = outputNames;
    }

    /// <summary>The reader for a model, or null when its inputs are not all tensors of the types it reads.</summary>
    public static TensorRequestReader? For(InputPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var specs = plan.Signature.Inputs;
        if (plan.Unsupported is not null || specs.Count is 0 or > 64)
        {
            return null;
        }

        var inputs = new Input[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            if (JsonTensorValues.Kind(specs[i].ElementType) is not { } kind)
            {
                return null;
            }

            inputs[i] = new Input(specs[i].Name, Encoding.UTF8.GetBytes(specs[i].Name), kind, Encoding.UTF8.GetBytes(OipDatatypes.Datatype(specs[i].ElementType)), [.. specs[i].Shape!]);
        }

        return new TensorRequestReader(inputs, plan.OutputNames);
    }

    /// <summary>The input tensors in the request's order (the caller disposes them), or null when the general path must read it.</summary>
    /// <param name="rows">The first input's batch dimension (1 for a scalar), as the general path counts rows.</param>
    /// <param name="id">The request's <c>id</c>, when it has one.</param>
    /// <param name="outputs">The outputs asked for; null for all.</param>
    public ModelInputs? TryRead(ReadOnlySpan<byte> body, out int rows, out string? id, out IReadOnlyList<string>? outputs) =>
        TryRead(body, null, out rows, out id, out outputs, out var inputs) ? inputs : null;

    /// <summary>
    /// Reads the request; false when the general path must read it. A request for one row and every output
    /// is read into <paramref name="oneRow"/> when given (one array per signature input, of its one-row size:
    /// every value is written), and <paramref name="inputs"/> is then null; otherwise it holds the input
    /// tensors (the caller disposes them).
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> body, Array[]? oneRow, out int rows, out string? id, out IReadOnlyList<string>? outputs, out ModelInputs? inputs)
    {
        inputs = null;
        oneRow = oneRow?.Length == _inputs.Length ? oneRow : null;
        var intoOneRow = 0UL;
        ModelInputs? read = null;
        if (!Read(body, oneRow, ref intoOneRow, ref read, out rows, out id, out outputs))
        {
            return false;
        }

        if (intoOneRow != 0 && (outputs is not null || intoOneRow != All))
        {
            // Not all of it fits the bound run: every input as a tensor, those read into the run's arrays copied out of them.
            read ??= new ModelInputs();
            try
            {
                for (var i = 0; i < _inputs.Length; i++)
                {
                    if ((intoOneRow & (1UL << i)) != 0)
                    {
                        var values = (Array)oneRow![i].Clone();
                        read.Add(_inputs[i].Name, JsonTensorValues.Tensor(values, [1, .. _inputs[i].Shape.Skip(1)]));
                    }
                }
            }
            catch
            {
                read.Dispose();
                throw;
            }

            intoOneRow = 0;
        }

        // Every input read into the run: no tensors were made.
        inputs = intoOneRow == All ? null : read;
        return true;
    }

    private ulong All => _inputs.Length == 64 ? ulong.MaxValue : (1UL << _inputs.Length) - 1;

    /// <summary>Reads the request: the inputs not read into <paramref name="oneRow"/> as tensors in <paramref name="bound"/> (made for the first); false when the general path must read it.</summary>
    private bool Read(ReadOnlySpan<byte> body, Array[]? oneRow, ref ulong intoOneRow, ref ModelInputs? bound, out int rows, out string? id, out IReadOnlyList<string>? outputs)
    {
        rows = 0;
        id = null;
        outputs = null;
        if (!Utf8.IsValid(body))
        {
            return false;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        var complete = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var seen = 0UL;
            var (hasInputs, hasId) = (false, false);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(s_inputs) && !hasInputs)
                {
                    hasInputs = true;
                    if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                    {
                        return false;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        if (!ReadInput(ref reader, ref bound, oneRow, ref intoOneRow, ref seen, ref rows))
                        {
                            return false;
                        }
                    }
                }
                else if (reader.ValueTextEquals(s_id) && !hasId && reader.Read() && reader.TokenType is JsonTokenType.String or JsonTokenType.Null)
                {
                    hasId = true;
                    id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    continue;
                }
                else if (reader.ValueTextEquals(s_outputs) && outputs is null && reader.Read() && reader.TokenType == JsonTokenType.StartArray)
                {
                    outputs = ReadOutputs(ref reader);
                    if (outputs is null)
                    {
                        return false;
                    }
                }
                else
                {
                    return false;
                }

                if (reader.TokenType != JsonTokenType.EndArray)
                {
                    return false;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || seen != All)
            {
                return false;
            }

            complete = true;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
        finally
        {
            if (!complete)
            {
                bound?.Dispose();
                bound = null;
            }
        }
    }

    /// <summary>
    /// One input object, the reader on its start: name first, then shape, datatype and data (shape before data).
    /// Data of one row goes into <paramref name="oneRow"/>'s array for the input, when it has the array's size (marked in <paramref name="intoOneRow"/>).
    /// </summary>
    private bool ReadInput(ref Utf8JsonReader reader, ref ModelInputs? bound, Array[]? oneRow, ref ulong intoOneRow, ref ulong seen, ref int rows)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(s_name)
            || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        var index = -1;
        for (var i = 0; i < _inputs.Length && index < 0; i++)
        {
            if (reader.ValueTextEquals(_inputs[i].Utf8Name))
            {
                index = i;
            }
        }

        if (index < 0 || (seen & (1UL << index)) != 0)
        {
            return false;
        }

        seen |= 1UL << index;
        var input = _inputs[index];
        long[]? shape = null;
        Array? data = null;
        var datatype = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(s_shape) && shape is null)
            {
                shape = ReadShape(ref reader, input.Shape);
                if (shape is null)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals(s_datatype) && !datatype)
            {
                datatype = reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(input.Datatype);
                if (!datatype)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals(s_data) && shape is not null && data is null)
            {
                var into = oneRow is not null && shape.Length > 0 && shape[0] == 1 && Count(shape) == oneRow[index].Length && JsonTensorValues.Holds(oneRow[index], input.Kind)
                    ? oneRow[index]
                    : null;
                data = ReadData(ref reader, input.Kind, shape, into);
                if (data is null)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || data is null || !datatype)
        {
            return false;
        }

        if ((seen & ~(1UL << index)) == 0)
        {
            rows = shape!.Length == 0 ? 1 : (int)shape[0];
        }

        if (oneRow is not null && ReferenceEquals(data, oneRow[index]))
        {
            intoOneRow |= 1UL << index;
        }
        else
        {
            (bound ??= new ModelInputs()).Add(input.Name, JsonTensorValues.Tensor(data, shape!));
        }

        return true;
    }

    /// <summary>The shape as sent, when it has the signature's rank and every fixed dimension (a fixed batch of 1 with more rows runs row by row: the general path's).</summary>
    private static long[]? ReadShape(ref Utf8JsonReader reader, long[] expected)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var shape = new long[expected.Length];
        var rank = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.Number)
        {
            if (rank == shape.Length || !reader.TryGetInt64(out var dimension) || dimension < 0 || (expected[rank] >= 0 && dimension != expected[rank]))
            {
                return null;
            }

            shape[rank++] = dimension;
        }

        return reader.TokenType == JsonTokenType.EndArray && rank == shape.Length ? shape : null;
    }

    private static long Count(long[] shape)
    {
        var count = 1L;
        foreach (var dimension in shape)
        {
            count *= dimension;
            if (count > int.MaxValue)
            {
                return -1;
            }
        }

        return count;
    }

    /// <summary>A flat array of exactly the shape's element count, each of the input's type: <paramref name="into"/> when given (of that count).</summary>
    private static Array? ReadData(ref Utf8JsonReader reader, TensorValueKind kind, long[] shape, Array? into)
    {
        var count = Count(shape);
        if (count < 0 || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var data = into ?? JsonTensorValues.Allocate(kind, (int)count);
        for (var i = 0; i < count; i++)
        {
            if (!reader.Read() || !JsonTensorValues.TryRead(ref reader, kind, data, i))
            {
                return null;
            }
        }

        return reader.Read() && reader.TokenType == JsonTokenType.EndArray ? data : null;
    }

    /// <summary>The outputs asked for, each <c>{"name"}</c> the model has; null for anything else.</summary>
    private List<string>? ReadOutputs(ref Utf8JsonReader reader)
    {
        var names = new List<string>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(s_name)
                || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.GetString() is not { } name || !_outputNames.Contains(name)
                || !reader.Read() || reader.TokenType != JsonTokenType.EndObject)
            {
                return null;
            }

            names.Add(name);
        }

        return reader.TokenType == JsonTokenType.EndArray ? names : null;
    }

    private sealed record Input(string Name, byte[] Utf8Name, TensorValueKind Kind, byte[] Datatype, long[] Shape);
}
