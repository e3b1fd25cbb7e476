using System.Buffers;
using System.Text.Json;

namespace Flywheel.Serving.Records;

/// <summary>
/// The rows of a prediction request, whatever JSON shape they came in: Flywheel's
/// <c>{"records": [...]}</c> or one of MLflow's scoring shapes (<c>dataframe_split</c>,
/// <c>dataframe_records</c>, <c>instances</c>, <c>inputs</c>). Rows are either records (column to
/// value) or, for tensor models, one nested array per row. Beside the rows the body may say what
/// columns the model does not take do (<c>"extraColumns": "ignore"</c>, see <see cref="ExtraColumnsSetting"/>).
/// </summary>
public sealed class RecordBatch
{
    public static readonly string[] Formats = ["records", "dataframe_split", "dataframe_records", "instances", "inputs"];

    private RecordBatch(IReadOnlyList<string> columns, IReadOnlyList<Dictionary<string, JsonElement>>? records, IReadOnlyList<JsonElement>? tensors)
    {
        Columns = columns;
        Records = records;
        TensorRows = tensors;
    }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<Dictionary<string, JsonElement>>? Records { get; }

    public IReadOnlyList<JsonElement>? TensorRows { get; }

    public int Count => Records?.Count ?? TensorRows!.Count;

    /// <summary>The body's <c>extraColumns</c> member; null when it has none.</summary>
    public ExtraColumns? ExtraColumns { get; private init; }

    public static RecordBatch Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new PredictionInputException($"The body must be a JSON object with exactly one of: {string.Join(", ", Formats)}.");
        }

        // Counted without a list: this runs on every request.
        var format = string.Empty;
        var value = default(JsonElement);
        var found = 0;
        foreach (var candidate in Formats)
        {
            if (root.TryGetProperty(candidate, out var property) && found++ == 0)
            {
                (format, value) = (candidate, property);
            }
        }

        if (found != 1)
        {
            var present = Formats.Where(f => root.TryGetProperty(f, out _)).ToList();
            throw new PredictionInputException($"The body must have exactly one of: {string.Join(", ", Formats)}; it has {(present.Count == 0 ? "none" : string.Join(" and ", present))}.");
        }

        var batch = format switch
        {
            "records" or "dataframe_records" => FromRecords(value, format),
            "dataframe_split" => FromSplit(value),
            "instances" => FromList(value, format),
            _ => value.ValueKind == JsonValueKind.Object ? FromColumns(value) : FromList(value, format),
        };
        if (batch.Count == 0)
        {
            throw new PredictionInputException($"'{format}' holds no rows.");
        }

        return root.TryGetProperty(ExtraColumnsSetting.Name, out var setting) ? batch.With(setting) : batch;
    }

    /// <summary>
    /// The records without <paramref name="columns"/>, as <c>{"records": [...]}</c>: what the model saw
    /// when they were left out, which is what the prediction log keeps and the shadow replays.
    /// </summary>
    public JsonElement Without(IReadOnlyCollection<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (Records is null)
        {
            throw new InvalidOperationException("Only records have columns to leave out.");
        }

        // In the columns' order, so every row reads alike whatever order its keys came in.
        var written = WriteRecords(Records, (writer, row) =>
        {
            foreach (var column in Columns)
            {
                if (!columns.Contains(column) && row.TryGetValue(column, out var value))
                {
                    writer.WritePropertyName(column);
                    value.WriteTo(writer);
                }
            }
        });
        return JsonSerializer.Deserialize<JsonElement>(written.Span);
    }

    /// <summary>
    /// Writes <c>{"records": [...]}</c>, each row an object of what <paramref name="fields"/> writes into
    /// it: the shape rows made here (left-out columns, CSV bodies) travel in to the binder, the log and the shadow.
    /// </summary>
    internal static ReadOnlyMemory<byte> WriteRecords<TRow>(IEnumerable<TRow> rows, Action<Utf8JsonWriter, TRow> fields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("records");
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                fields(writer, row);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private RecordBatch With(JsonElement setting)
    {
        if (setting.ValueKind != JsonValueKind.String || !ExtraColumnsSetting.TryParse(setting.GetString(), out var value))
        {
            throw new PredictionInputException($"'{ExtraColumnsSetting.Name}' must be {ExtraColumnsSetting.Choices}; it is {setting.GetRawText()}.");
        }

        // Rows of arrays have no columns to leave out: the setting changes nothing for them, as the query's does not.
        return new RecordBatch(Columns, Records, TensorRows) { ExtraColumns = value };
    }

    private static RecordBatch FromRecords(JsonElement value, string format)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new PredictionInputException($"'{format}' must be an array of objects, one per row.");
        }

        var columns = new List<string>();
        HashSet<string>? seen = null; // the first row's own keys are its columns: one record needs no set
        var rows = new List<Dictionary<string, JsonElement>>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new PredictionInputException($"'{format}' row {index + 1} must be an object of column to value, not {item.ValueKind.ToString().ToLowerInvariant()}.");
            }

            var row = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in item.EnumerateObject())
            {
                var name = property.Name;
                if (index == 0)
                {
                    if (!row.TryAdd(name, property.Value))
                    {
                        row[name] = property.Value;
                    }
                    else
                    {
                        columns.Add(name);
                    }

                    continue;
                }

                row[name] = property.Value;
                if ((seen ??= new HashSet<string>(columns, StringComparer.Ordinal)).Add(name))
                {
                    columns.Add(name);
                }
            }

            rows.Add(row);
            index++;
        }

        return new RecordBatch(columns, rows, null);
    }

    private static RecordBatch FromSplit(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("columns", out var columnsElement) || !value.TryGetProperty("data", out var data)
            || columnsElement.ValueKind != JsonValueKind.Array || data.ValueKind != JsonValueKind.Array)
        {
            throw new PredictionInputException("'dataframe_split' must be {\"columns\": [...], \"data\": [[...], ...]}.");
        }

        var columns = columnsElement.EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToList();
        var rows = new List<Dictionary<string, JsonElement>>();
        var index = 0;
        foreach (var item in data.EnumerateArray())
        {
            index++;
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != columns.Count)
            {
                throw new PredictionInputException($"'dataframe_split' data row {index} must be an array of {columns.Count} values (one per column).");
            }

            var row = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var i = 0;
            foreach (var cell in item.EnumerateArray())
            {
                row[columns[i++]] = cell;
            }

            rows.Add(row);
        }

        return new RecordBatch(columns, rows, null);
    }

    private static RecordBatch FromList(JsonElement value, string format)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new PredictionInputException($"'{format}' must be an array with one entry per row.");
        }

        var items = value.EnumerateArray().ToList();
        return items.Count > 0 && items.All(i => i.ValueKind == JsonValueKind.Object)
            ? FromRecords(value, format)
            : new RecordBatch([], null, items);
    }

    private static RecordBatch FromColumns(JsonElement value)
    {
        var columns = value.EnumerateObject().Select(p => p.Name).ToList();
        var lists = value.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.Array
            ? p.Value.EnumerateArray().ToList()
            : throw new PredictionInputException($"'inputs.{p.Name}' must be an array with one value per row.")).ToList();
        var count = lists.Count == 0 ? 0 : lists[0].Count;
        if (lists.Any(l => l.Count != count))
        {
            throw new PredictionInputException($"Every column in 'inputs' must have the same number of rows ({count}).");
        }

        var rows = Enumerable.Range(0, count)
            .Select(r => columns.Select((c, i) => (c, lists[i][r])).ToDictionary(p => p.c, p => p.Item2, StringComparer.Ordinal))
            .ToList();
        return new RecordBatch(columns, rows, null);
    }
}
