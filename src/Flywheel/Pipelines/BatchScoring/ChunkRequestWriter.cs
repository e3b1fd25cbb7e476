using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Flywheel.Datasets.Parsing;
using Flywheel.Serving;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>
/// Writes CSV rows as the request body the serving path reads (<c>{"dataframe_split": ...}</c>), so a
/// batch is bound, checked and scored by exactly the code that serves HTTP predictions. Numbers go
/// as JSON numbers for numeric inputs; an empty cell or NaN is null (a missing value).
/// </summary>
internal sealed class ChunkRequestWriter : ICsvRecordHandler, IDisposable
{
    private readonly IReadOnlyList<FeatureColumn> _features;
    private readonly ArrayBufferWriter<byte> _buffer;
    private readonly Utf8JsonWriter _writer;
    private readonly long _firstRow;
    private byte[] _scratch = new byte[256];
    private bool _headerSkipped;

    /// <param name="firstRow">The 1-based row number of the first data row this writer sees (for messages).</param>
    public ChunkRequestWriter(IReadOnlyList<FeatureColumn> features, long firstRow, int expectedBytes = 1 << 16)
    {
        _features = features;
        _firstRow = firstRow;
        _buffer = new ArrayBufferWriter<byte>(expectedBytes);
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        _writer.WriteStartObject();
        _writer.WriteStartObject("dataframe_split");
        _writer.WriteStartArray("columns");
        foreach (var feature in features)
        {
            _writer.WriteStringValue(feature.Name);
        }

        _writer.WriteEndArray();
        _writer.WriteStartArray("data");
    }

    public int Rows { get; private set; }

    /// <summary>The finished request body.</summary>
    public ReadOnlyMemory<byte> Complete()
    {
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }

    /// <summary>Adds one row given as texts (the plan's sample row).</summary>
    public void Add(IReadOnlyList<string> cells)
    {
        _writer.WriteStartArray();
        foreach (var feature in _features)
        {
            WriteCell(feature, System.Text.Encoding.UTF8.GetBytes(cells[feature.Index]));
        }

        _writer.WriteEndArray();
        Rows++;
    }

    public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
    {
        if (!_headerSkipped)
        {
            _headerSkipped = true;
            return true;
        }

        _writer.WriteStartArray();
        foreach (var feature in _features)
        {
            if (feature.Index >= fields.Length)
            {
                throw new PredictionInputException($"Row {_firstRow + Rows} has {fields.Length} fields; column '{feature.Name}' is field {feature.Index + 1}.");
            }

            WriteCell(feature, CsvReader.Value(buffer, fields[feature.Index], ref _scratch));
        }

        _writer.WriteEndArray();
        Rows++;
        return true;
    }

    public ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public bool OnProblem(string kind, string message, long line) =>
        throw new Errors.FlywheelException(Errors.ErrorKind.Unprocessable, "unreadable-dataset", $"The dataset file cannot be read near row {_firstRow + Rows}: {message}");

    public void Dispose() => _writer.Dispose();

    private void WriteCell(FeatureColumn feature, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            // A string input takes an empty string; every other input reads null as missing.
            if (feature.Kind == CellKind.Text)
            {
                _writer.WriteStringValue(string.Empty);
            }
            else
            {
                _writer.WriteNullValue();
            }

            return;
        }

        switch (feature.Kind)
        {
            case CellKind.Number:
                if (Utf8Parser.TryParse(value, out long integer, out var used) && used == value.Length)
                {
                    _writer.WriteNumberValue(integer);
                }
                else if (Utf8Parser.TryParse(value, out double number, out used) && used == value.Length && double.IsFinite(number))
                {
                    _writer.WriteNumberValue(number);
                }
                else if (value.SequenceEqual("NaN"u8) || value.SequenceEqual("nan"u8) || value.SequenceEqual("NA"u8))
                {
                    _writer.WriteNullValue();
                }
                else
                {
                    throw new PredictionInputException($"Row {_firstRow + Rows}, column '{feature.Name}': '{System.Text.Encoding.UTF8.GetString(value)}' is not a number, and the model's input is numeric.");
                }

                break;
            case CellKind.Boolean:
                _writer.WriteBooleanValue(value.SequenceEqual("true"u8) || value.SequenceEqual("True"u8) || value.SequenceEqual("1"u8));
                break;
            default:
                _writer.WriteStringValue(value);
                break;
        }
    }
}
