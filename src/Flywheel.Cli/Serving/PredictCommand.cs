using System.CommandLine;
using System.Text;
using System.Text.Json;
using Flywheel.Client.Serving;
using Flywheel.Contracts;
using Flywheel.Contracts.Serving;

namespace Flywheel.Cli.Serving;

/// <summary>
/// <c>flywheel predict</c>: scores rows with a model. A CSV file is sent in batches of rows (each batch with the
/// header), so a file of any length stays under the app's body limit; predictions come out as JSON lines (one
/// prediction per line, for -o json, written as each batch answers: a batch that fails ends the command with a
/// non-zero exit after the lines before it) or as CSV (for -o table, written once every batch has answered), in the
/// file's row order.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(CommandBuilder build)
    {
        var model = new Argument<string>("model") { Description = "The model to score with" };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "A CSV file: a header line, then one row per line" };
        var json = new Option<string?>("--json") { Description = "A JSON body as the predict route reads it ({\"records\": [...]}, {\"inputs\": ...}), or just an array of records such as '[{\"x\": 1}]'" };
        var version = new Option<string?>("--version", "-v") { Description = "A version number, latest or an alias [default: what the model serves]" };
        var batch = new Option<int>("--batch-size") { Description = "Rows per request for --file", DefaultValueFactory = _ => 1000 };

        return build.Leaf("predict", "Score rows from a CSV file (sent in batches) or a JSON body; writes JSON lines (-o json) or CSV (-o table)",
            "flywheel predict churn --file rows.csv -o json > predictions.jsonl",
            async (s, ct) =>
            {
                // JSON lines go out batch by batch, so a long file's predictions stream into jq or a file; a CSV table needs every row's columns first.
                var streaming = s.Output.Format == Output.OutputFormat.Json;
                var table = new List<Prediction>();
                var ignored = new SortedSet<string>(StringComparer.Ordinal);
                void Take(PredictionResult result)
                {
                    ignored.UnionWith(result.IgnoredColumns);
                    if (streaming)
                    {
                        Write(s, result.Predictions);
                    }
                    else
                    {
                        table.AddRange(result.Predictions);
                    }
                }

                if (s.Value(file) is { } path)
                {
                    if (!path.Exists)
                    {
                        throw new FileNotFoundException($"There is no file {path.FullName}.");
                    }

                    using var reader = new StreamReader(path.FullName, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                    await foreach (var chunk in CsvBatches.ReadAsync(reader, Math.Max(1, s.Value(batch)), ct))
                    {
                        Take(await s.Client.Serving.PredictCsvAsync(s.Value(model), chunk, s.Value(version), cancellationToken: ct));
                    }
                }
                else if (s.Value(json) is { } body)
                {
                    // A bare array is the records shape, the one people type by hand.
                    var parsed = JsonInput.Parse<JsonElement>(body, "--json");
                    object request = parsed.ValueKind == JsonValueKind.Array ? new Dictionary<string, JsonElement> { ["records"] = parsed } : parsed;
                    Take(await s.Client.Serving.PredictAsync(s.Value(model), request, s.Value(version), cancellationToken: ct));
                }
                else
                {
                    throw new CliUsageException("Give the rows with --file rows.csv or --json '[{...}]'.");
                }

                if (!streaming)
                {
                    Write(s, table);
                }

                if (ignored.Count > 0)
                {
                    await s.Error.WriteLineAsync($"note: the model ignored the columns {string.Join(", ", ignored)}");
                }

                return ExitCodes.Ok;
            }, model, file, json, version, batch);
    }

    private static readonly JsonSerializerOptions s_json = FlywheelJson.CreateOptions();

    private static void Write(CliSession s, IReadOnlyList<Prediction> predictions)
    {
        if (s.Output.Format == Output.OutputFormat.Json)
        {
            // JSON lines, not one array: a long file's predictions stream into jq or a file line by line.
            foreach (var prediction in predictions)
            {
                s.Output.Text(JsonSerializer.Serialize(prediction, s_json));
            }

            return;
        }

        // A regressor's number (or several targets' array) is one column of its own: only objects have named members.
        var rows = predictions.Select(p => JsonSerializer.SerializeToElement(p, s_json)).ToList();
        var columns = rows.SelectMany(r => r.ValueKind == JsonValueKind.Object ? r.EnumerateObject().Select(p => p.Name) : [PredictionColumn]).Distinct().ToList();
        var csv = new StringBuilder().AppendLine(string.Join(',', columns));
        foreach (var row in rows)
        {
            csv.AppendLine(string.Join(',', columns.Select(c => row.ValueKind != JsonValueKind.Object ? (c == PredictionColumn ? Cell(row) : string.Empty)
                : row.TryGetProperty(c, out var v) ? Cell(v) : string.Empty)));
        }

        s.Output.Text(csv.ToString().TrimEnd());
    }

    private const string PredictionColumn = "prediction";

    private static string Cell(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? string.Empty,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => string.Empty,
            _ => value.GetRawText(),
        };
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
