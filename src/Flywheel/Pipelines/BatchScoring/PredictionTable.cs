using System.Buffers;
using System.Buffers.Text;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Flywheel.Contracts.Pipelines;
using Flywheel.Serving.Outputs;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>
/// Writes predictions as rows of the batch output: CSV with <c>row,modelVersion</c> and one column
/// per prediction field (a classifier's <c>label</c>, <c>probabilities.setosa</c>, ...; a regressor's
/// <c>prediction</c>; list items as <c>name.0</c>), or JSON Lines of <c>{"row", "modelVersion", "prediction"}</c>.
/// </summary>
public static class PredictionTable
{
    public const string ScalarColumn = "prediction";

    /// <summary>The CSV columns of one prediction, in the order they are written.</summary>
    public static IReadOnlyList<string> Columns(object? prediction)
    {
        var columns = new List<string>();
        Layout.Learn(prediction, name =>
        {
            columns.Add(name);
            return columns.Count - 1;
        });
        return columns;
    }

    public static byte[] CsvHeader(IReadOnlyList<string> predictionColumns)
    {
        ArgumentNullException.ThrowIfNull(predictionColumns);
        var line = new StringBuilder("row,modelVersion");
        foreach (var column in predictionColumns)
        {
            line.Append(',').Append(Quoted(column));
        }

        return Encoding.UTF8.GetBytes(line.Append('\n').ToString());
    }

    /// <summary>Appends the rows of one scored chunk to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, BatchOutputFormat format, IReadOnlyList<string> predictionColumns, long firstRow, int modelVersion, IReadOnlyList<object?> predictions)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(predictionColumns);
        ArgumentNullException.ThrowIfNull(predictions);
        if (format == BatchOutputFormat.Jsonl)
        {
            WriteJsonLines(output, firstRow, modelVersion, predictions);
            return;
        }

        if (predictions.Count == 0)
        {
            return;
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < predictionColumns.Count; i++)
        {
            index.TryAdd(predictionColumns[i], i);
        }

        var layout = Layout.Learn(predictions[0], name => index.GetValueOrDefault(name, -1));
        var slots = new Cell[predictionColumns.Count];
        for (var i = 0; i < predictions.Count; i++)
        {
            Array.Clear(slots);
            layout.Fill(predictions[i], slots);
            var span = output.GetSpan(64);
            var at = Format(span, firstRow + i);
            span[at++] = (byte)',';
            at += Format(span[at..], modelVersion);
            output.Advance(at);
            foreach (var cell in slots)
            {
                output.Write(","u8);
                if (cell.IsNumber)
                {
                    WriteNumber(output, cell.Number);
                }
                else
                {
                    WriteCell(output, cell.Value);
                }
            }

            output.Write("\n"u8);
        }
    }

    private static void WriteJsonLines(IBufferWriter<byte> output, long firstRow, int modelVersion, IReadOnlyList<object?> predictions)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        for (var i = 0; i < predictions.Count; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("row", firstRow + i);
            json.WriteNumber("modelVersion", modelVersion);
            json.WritePropertyName("prediction");
            PredictionsJsonConverter.WriteValue(json, predictions[i]);
            json.WriteEndObject();
            json.Flush();
            output.Write("\n"u8);
            json.Reset();
        }
    }

    private static void WriteNumber(IBufferWriter<byte> output, double number)
    {
        if (double.IsFinite(number))
        {
            output.Advance(Utf8Formatter.TryFormat(number, output.GetSpan(32), out var written) ? written : 0);
        }
    }

    private static void WriteCell(IBufferWriter<byte> output, object? value)
    {
        var span = output.GetSpan(32);
        switch (value)
        {
            case null:
                return;
            case double number when double.IsFinite(number):
                output.Advance(Utf8Formatter.TryFormat(number, span, out var written) ? written : 0);
                return;
            case float single when float.IsFinite(single):
                output.Advance(Utf8Formatter.TryFormat(single, span, out written) ? written : 0);
                return;
            case long integer:
                output.Advance(Format(span, integer));
                return;
            case int integer:
                output.Advance(Format(span, integer));
                return;
            case bool flag:
                output.Write(flag ? "true"u8 : "false"u8);
                return;
            case double or float:
                return;
            case string text:
                output.Write(Encoding.UTF8.GetBytes(Quoted(text)));
                return;
            case IFormattable formattable:
                output.Write(Encoding.UTF8.GetBytes(formattable.ToString(null, CultureInfo.InvariantCulture)));
                return;
            default:
                output.Write(Encoding.UTF8.GetBytes(Quoted(JsonSerializer.Serialize(value, Json.Options))));
                return;
        }
    }

    /// <summary>One CSV cell of a row: a number kept unboxed (class shares), or any other value.</summary>
    private struct Cell
    {
        public double Number;
        public object? Value;
        public bool IsNumber;
    }

    private static int Format(Span<byte> span, long value) => Utf8Formatter.TryFormat(value, span, out var written) ? written : 0;

    private static string Quoted(string text) =>
        text.AsSpan().IndexOfAny(",\"\n\r") < 0 ? text : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Join(string? prefix, string key) => prefix is null ? key : $"{prefix}.{key}";

    /// <summary>
    /// Where each field of a prediction goes, learned once per chunk from its first prediction: a tree
    /// of keys (maps) and positions (lists) down to column indexes, so a row is placed with one lookup
    /// per field instead of building each field's dotted name. A field the columns lack is left out.
    /// </summary>
    private sealed class Layout
    {
        private int _column = -1;
        private Dictionary<string, Layout>? _keys;
        private List<Layout>? _items;

        // For a ZipMap row: the classes it was learned from and each class's column, so rows with the same classes go by position.
        private IReadOnlyList<string>? _classes;
        private int[]? _classColumns;

        /// <summary>The layout of <paramref name="prediction"/>'s fields, in order: scalars are one field, maps and lists fan out one level per nesting; <paramref name="column"/> places each dotted name (-1: left out).</summary>
        public static Layout Learn(object? prediction, Func<string, int> column)
        {
            var root = new Layout();
            root.Learn(prediction, null, column);
            return root;
        }

        public void Fill(object? prediction, Cell[] slots)
        {
            switch (prediction)
            {
                case ClassShareRows.Row row when ReferenceEquals(row.Classes, _classes):
                    var rowShares = row.Shares;
                    for (var i = 0; i < rowShares.Length; i++)
                    {
                        if (_classColumns![i] >= 0)
                        {
                            slots[_classColumns[i]] = new Cell { Number = rowShares[i], IsNumber = true };
                        }
                    }

                    break;
                case IDictionary<string, object?> named when _keys is not null:
                    foreach (var (key, value) in named)
                    {
                        if (_keys.TryGetValue(key, out var child))
                        {
                            child.Fill(value, slots);
                        }
                    }

                    break;
                case IReadOnlyDictionary<string, double> shares when _keys is not null:
                    foreach (var (key, value) in shares)
                    {
                        if (_keys.TryGetValue(key, out var child) && child._column >= 0)
                        {
                            slots[child._column] = new Cell { Number = value, IsNumber = true };
                        }
                    }

                    break;
                case IList list when prediction is not string && _items is not null:
                    for (var i = 0; i < list.Count && i < _items.Count; i++)
                    {
                        _items[i].Fill(list[i], slots);
                    }

                    break;
                default:
                    if (_column >= 0)
                    {
                        slots[_column] = new Cell { Value = prediction };
                    }

                    break;
            }
        }

        private void Learn(object? prediction, string? prefix, Func<string, int> column)
        {
            switch (prediction)
            {
                case IDictionary<string, object?> named:
                    _keys = new Dictionary<string, Layout>(StringComparer.Ordinal);
                    foreach (var (key, value) in named)
                    {
                        var child = _keys[key] = new Layout();
                        child.Learn(value, Join(prefix, key), column);
                    }

                    break;
                case IReadOnlyDictionary<string, double> shares:
                    _keys = new Dictionary<string, Layout>(StringComparer.Ordinal);
                    foreach (var (key, _) in shares)
                    {
                        _keys[key] = new Layout { _column = column(Join(prefix, key)) };
                    }

                    if (shares is ClassShareRows.Row row)
                    {
                        _classes = row.Classes;
                        _classColumns = [.. row.Classes.Select(c => _keys[c]._column)];
                    }

                    break;
                case IList list when prediction is not string:
                    _items = [];
                    for (var i = 0; i < list.Count; i++)
                    {
                        var child = new Layout();
                        child.Learn(list[i], Join(prefix, i.ToString(CultureInfo.InvariantCulture)), column);
                        _items.Add(child);
                    }

                    break;
                default:
                    _column = column(prefix ?? ScalarColumn);
                    break;
            }
        }
    }
}
