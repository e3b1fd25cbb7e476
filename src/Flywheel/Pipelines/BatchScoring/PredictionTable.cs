using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Flywheel.Serving;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>
/// Writes predictions as rows of the batch output: CSV with <c>row,modelVersion</c> and one column
/// per prediction field (a classifier's <c>label</c>, <c>probabilities.setosa</c>, ...; a regressor's
/// <c>prediction</c>), or JSON Lines of <c>{"row", "modelVersion", "prediction"}</c>.
/// </summary>
public static class PredictionTable
{
    public const string ScalarColumn = "prediction";

    /// <summary>The CSV columns of one prediction, in the order they are written.</summary>
    public static IReadOnlyList<string> Columns(object? prediction)
    {
        var columns = new List<string>();
        foreach (var (name, _) in Fields(prediction))
        {
            columns.Add(name);
        }

        return columns;
    }

    public static byte[] CsvHeader(IReadOnlyList<string> predictionColumns)
    {
        ArgumentNullException.ThrowIfNull(predictionColumns);
        var line = new StringBuilder("row,modelVersion");
        foreach (var column in predictionColumns)
        {
            line.Append(',');
            AppendCsv(line, column);
        }

        return Encoding.UTF8.GetBytes(line.Append('\n').ToString());
    }

    /// <summary>Appends the rows of one scored chunk to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, BatchOutputFormat format, IReadOnlyList<string> predictionColumns, long firstRow, int modelVersion, IReadOnlyList<object?> predictions)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(predictions);
        if (format == BatchOutputFormat.Jsonl)
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

            return;
        }

        var line = new StringBuilder(256);
        var values = new Dictionary<string, object?>(predictionColumns.Count, StringComparer.Ordinal);
        for (var i = 0; i < predictions.Count; i++)
        {
            values.Clear();
            foreach (var (name, value) in Fields(predictions[i]))
            {
                values[name] = value;
            }

            line.Clear();
            line.Append(firstRow + i).Append(',').Append(modelVersion);
            foreach (var column in predictionColumns)
            {
                line.Append(',');
                AppendValue(line, values.GetValueOrDefault(column));
            }

            line.Append('\n');
            var bytes = output.GetSpan(Encoding.UTF8.GetMaxByteCount(line.Length));
            output.Advance(Encoding.UTF8.GetBytes(line.ToString(), bytes));
        }
    }

    // A prediction as (column, value) pairs: scalars stay one column, maps and lists fan out one level per nesting.
    private static IEnumerable<(string Name, object? Value)> Fields(object? prediction, string? prefix = null)
    {
        switch (prediction)
        {
            case IDictionary<string, object?> named:
                foreach (var (key, value) in named)
                {
                    foreach (var field in Fields(value, Join(prefix, key)))
                    {
                        yield return field;
                    }
                }

                break;
            case IReadOnlyDictionary<string, double> shares:
                foreach (var (key, value) in shares)
                {
                    yield return (Join(prefix, key), value);
                }

                break;
            case IList list when prediction is not string:
                for (var i = 0; i < list.Count; i++)
                {
                    foreach (var field in Fields(list[i], Join(prefix, i.ToString(CultureInfo.InvariantCulture))))
                    {
                        yield return field;
                    }
                }

                break;
            default:
                yield return (prefix ?? ScalarColumn, prediction);
                break;
        }
    }

    private static string Join(string? prefix, string key) => prefix is null ? key : $"{prefix}.{key}";

    private static void AppendValue(StringBuilder line, object? value)
    {
        switch (value)
        {
            case null:
                break;
            case string text:
                AppendCsv(line, text);
                break;
            case bool flag:
                line.Append(flag ? "true" : "false");
                break;
            case float single:
                line.Append(single.ToString("R", CultureInfo.InvariantCulture));
                break;
            case double number:
                line.Append(number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case IFormattable formattable:
                line.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                AppendCsv(line, JsonSerializer.Serialize(value, Json.Options));
                break;
        }
    }

    private static void AppendCsv(StringBuilder line, string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\n\r") < 0)
        {
            line.Append(text);
            return;
        }

        line.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
