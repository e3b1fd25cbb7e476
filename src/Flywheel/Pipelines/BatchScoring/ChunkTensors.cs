using System.Text;
using Flywheel.Contracts.Errors;
using Flywheel.Datasets.Parsing;
using Flywheel.Serving;
using Flywheel.Serving.Records;
using Microsoft.ML.OnnxRuntime;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>
/// Parses CSV rows straight into the model's input tensors: each cell lands in its slot of a typed
/// array, pinned for the Run. (Going through the JSON request shape cost three times the Run on a
/// tree model.) Cells read by <see cref="CsvCell"/>, as predict's CSV bodies do: an empty cell is
/// missing (NaN for float and double, an empty string for strings); anything that does not fit the
/// element type is refused, naming the row and column.
/// </summary>
internal sealed class ChunkTensors : ICsvRecordHandler
{
    private readonly IReadOnlyList<BatchInput> _inputs;
    private readonly IReadOnlyList<FeatureColumn> _features;
    private readonly Array[] _data;
    private readonly long _firstRow;
    private readonly int _capacity;
    private byte[] _scratch = new byte[256];
    private bool _headerSkipped;

    /// <param name="rows">Rows this chunk holds (the arrays are sized once).</param>
    /// <param name="firstRow">The 1-based row number of the first data row (for messages).</param>
    public ChunkTensors(IReadOnlyList<BatchInput> inputs, IReadOnlyList<FeatureColumn> features, int rows, long firstRow)
    {
        _inputs = inputs;
        _features = features;
        _firstRow = firstRow;
        _capacity = rows;
        _data = [.. inputs.Select(i => Allocate(i.ElementType, rows * i.Width))];
    }

    public int Rows { get; private set; }

    /// <summary>The filled rows as input tensors; the caller disposes them after the Run.</summary>
    public ModelInputs Build() => ModelInputs.Build(values =>
    {
        for (var i = 0; i < _inputs.Count; i++)
        {
            var input = _inputs[i];
            long[] dims = input.Rank == 1 ? [Rows] : [Rows, input.Width];
            values.Add(input.Name, _data[i] switch
            {
                float[] a => OrtValue.CreateTensorValueFromMemory(a, dims),
                double[] a => OrtValue.CreateTensorValueFromMemory(a, dims),
                long[] a => OrtValue.CreateTensorValueFromMemory(a, dims),
                int[] a => OrtValue.CreateTensorValueFromMemory(a, dims),
                bool[] a => OrtValue.CreateTensorValueFromMemory(a, dims),
                string[] a => Strings(a, dims),
                _ => throw new InvalidOperationException(),
            });
        }
    });

    /// <summary>Adds one row given as texts (the plan's sample row).</summary>
    public void Add(IReadOnlyList<string> cells)
    {
        foreach (var feature in _features)
        {
            Set(feature, Encoding.UTF8.GetBytes(cells[feature.Index]));
        }

        Rows++;
    }

    public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
    {
        if (!_headerSkipped)
        {
            _headerSkipped = true;
            return true;
        }

        if (Rows == _capacity)
        {
            throw new InvalidOperationException($"The chunk holds more than the {_capacity} rows its plan counted.");
        }

        foreach (var feature in _features)
        {
            if (feature.Index >= fields.Length)
            {
                throw new PredictionInputException($"Row {_firstRow + Rows} has {fields.Length} fields; column '{feature.Name}' is field {feature.Index + 1}.");
            }

            Set(feature, CsvReader.Value(buffer, fields[feature.Index], ref _scratch));
        }

        Rows++;
        return true;
    }

    public ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public bool OnProblem(string kind, string message, long line) =>
        throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.UnreadableDataset, $"The dataset file cannot be read near row {_firstRow + Rows}: {message}");

    /// <summary>The element types a CSV cell can feed.</summary>
    public static bool Feeds(string? elementType) => elementType is "float" or "double" or "int64" or "int32" or "string" or "bool";

    private static Array Allocate(string elementType, int length) => elementType switch
    {
        "float" => new float[length],
        "double" => new double[length],
        "int64" => new long[length],
        "int32" => new int[length],
        "bool" => new bool[length],
        "string" => new string[length],
        _ => throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "not a type a CSV cell feeds"),
    };

    private void Set(FeatureColumn feature, ReadOnlySpan<byte> cell)
    {
        var at = (Rows * _inputs[feature.Input].Width) + feature.Slot;
        switch (_data[feature.Input])
        {
            case float[] floats:
                floats[at] = (float)Real(feature, cell);
                break;
            case double[] doubles:
                doubles[at] = Real(feature, cell);
                break;
            case long[] longs:
                longs[at] = Integer(feature, cell, long.MinValue, long.MaxValue);
                break;
            case int[] ints:
                ints[at] = (int)Integer(feature, cell, int.MinValue, int.MaxValue);
                break;
            case bool[] flags:
                flags[at] = CsvCell.TryBool(cell, out var flag) ? flag : throw Refused(feature, cell, "true or false");
                break;
            case string[] texts:
                texts[at] = Encoding.UTF8.GetString(cell);
                break;
        }
    }

    private double Real(FeatureColumn feature, ReadOnlySpan<byte> cell) =>
        CsvCell.IsMissing(cell) ? double.NaN : CsvCell.TryReal(cell, out var value) ? value : throw Refused(feature, cell, "a number");

    private long Integer(FeatureColumn feature, ReadOnlySpan<byte> cell, long min, long max) =>
        CsvCell.TryInteger(cell, min, max, out var value) ? value : throw Refused(feature, cell, "an integer");

    private PredictionInputException Refused(FeatureColumn feature, ReadOnlySpan<byte> cell, string expected)
    {
        var text = Encoding.UTF8.GetString(cell);
        return new PredictionInputException($"Row {_firstRow + Rows}, column '{feature.Name}': expected {expected} for input '{_inputs[feature.Input].Name}' ({_inputs[feature.Input].ElementType}), got '{(text.Length > 60 ? text[..60] + "…" : text)}'.");
    }

    private static OrtValue Strings(string[] data, long[] dims)
    {
        var tensor = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, dims);
        var count = dims.Aggregate(1L, (a, b) => a * b);
        try
        {
            for (var i = 0; i < count; i++)
            {
                tensor.StringTensorSetElementAt((data[i] ?? string.Empty).AsSpan(), i);
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
