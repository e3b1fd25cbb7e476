using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Contracts.Training;
using Flywheel.Storage;
using Flywheel.Tests.Pipelines;
using Flywheel.Tests.Datasets;
using Flywheel.Training;
using Flywheel.Training.Evaluation;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Tests.Training;

/// <summary>
/// The gate compares a retrained candidate with the champion only on rows the champion never trained
/// or validated on, a listed feature is never dropped, and a candidate whose inputs differ from the
/// champion's is not promoted unless the request allows it: closing the loop by hand on adult.
/// </summary>
public sealed class HonestGateTests
{
    private static readonly Dictionary<string, string?> s_engineOn = new() { ["Flywheel:LocalEngine:Enabled"] = "true" };

    private static readonly string[] s_features = ["age", "education", "hours_per_week", "sex", "race", "marital_status"];

    private static readonly List<string> s_adult = [.. File.ReadLines(DatasetFiles.Adult)];

    private static string Csv(IEnumerable<string> rows) => string.Join('\n', rows.Prepend(s_adult[0])) + "\n";

    private static string Train(string model, string dataset, int seed, string extra = "") => $$"""
        {"model": "{{model}}", "dataset": "{{dataset}}", "datasetVersion": "latest", "label": "income", "features": {{JsonSerializer.Serialize(s_features)}},
         "trainers": ["linear"], "trials": 1, "seed": {{seed}}{{extra}}}
        """;

    [Fact]
    public async Task A_retrain_on_a_newer_version_compares_only_rows_the_champion_never_saw_and_its_figure_is_its_honest_metric_there()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        var older = s_adult.Skip(1).Take(12_000).ToList();
        var newer = s_adult.Skip(1 + 4_000).Take(12_000).Reverse().ToList();
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "income", Encoding.UTF8.GetBytes(Csv(older)), "older.csv")).Status);
        var first = (await TrainingPipelineTests.TrainAsync(client, Train("earner", "income", 1))).GetProperty("output");
        Assert.Equal("promoted", first.GetProperty("promotion").GetString());

        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "income", Encoding.UTF8.GetBytes(Csv(newer)), "newer.csv")).Status);
        // Another seed and another salt: the candidate's test rows include many the champion trained on.
        var second = (await TrainingPipelineTests.TrainAsync(client, Train("earner", "income", 2, """, "split": {"salt": "reshuffled"}"""))).GetProperty("output");
        var gate = second.GetProperty("gate");
        var rows = gate.GetProperty("rows");

        var container = await app.Services.GetRequiredService<StorageClients>().ContainerAsync(StorageNames.DatasetsContainer, CancellationToken.None);
        var championSplit = await DataSplitter.ReadAsync(container.GetBlobClient(await SplitOfAsync(client, "earner", 1)), CancellationToken.None);
        var candidateSplit = await DataSplitter.ReadAsync(container.GetBlobClient(await SplitOfAsync(client, "earner", 2)), CancellationToken.None);
        var seen = championSplit.Train.Concat(championSplit.Validation).Select(r => Key(older[r])).ToHashSet();
        var compared = candidateSplit.Test.Select(r => newer[r]).Where(line => !seen.Contains(Key(line))).ToList();

        Assert.Equal(candidateSplit.Test.Length, rows.GetProperty("test").GetInt32());
        Assert.Equal(compared.Count, rows.GetProperty("compared").GetInt32());
        Assert.Equal(candidateSplit.Test.Length - compared.Count, rows.GetProperty("excluded").GetInt32());
        Assert.InRange(rows.GetProperty("excluded").GetInt32(), 500, candidateSplit.Test.Length - 500);
        Assert.Contains(gate.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains($"compared on {compared.Count:N0} rows version 1 never trained or validated on", StringComparison.Ordinal));

        // The champion's figure is its metric on exactly those rows, scored as it serves.
        var honest = await AucAsync(client, "earner", 1, compared);
        Assert.Equal(honest, gate.GetProperty("championMetrics").GetProperty("auc").GetDouble(), 9);
        Assert.Equal(await AucAsync(client, "earner", 2, compared), gate.GetProperty("candidateMetrics").GetProperty("auc").GetDouble(), 9);

        // Asking for more comparable rows than there are is not a promotion, and the reason says why.
        var strict = (await TrainingPipelineTests.TrainAsync(client, Train("earner", "income", 3, """, "split": {"salt": "third"}, "gate": {"minRows": 100000}"""))).GetProperty("output");
        Assert.Equal("not-promoted", strict.GetProperty("promotion").GetString());
        Assert.Contains("gate.minRows", strict.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var model = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/models/earner", UriKind.Relative))).RootElement;
        Assert.NotEqual(strict.GetProperty("version").GetInt32(), model.GetProperty("aliases").GetProperty("champion").GetInt32());
    }

    [Fact]
    public async Task A_retrain_with_the_same_salt_keeps_the_champions_test_rows_as_test_rows()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "income", Encoding.UTF8.GetBytes(Csv(s_adult.Skip(1).Take(8_000))), "older.csv")).Status);
        await TrainingPipelineTests.TrainAsync(client, Train("steady", "income", 1));
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "income", Encoding.UTF8.GetBytes(Csv(s_adult.Skip(1).Take(12_000).Reverse())), "newer.csv")).Status);

        var rows = (await TrainingPipelineTests.TrainAsync(client, Train("steady", "income", 2))).GetProperty("output").GetProperty("gate").GetProperty("rows");

        // A row's part is a function of its values: no test row of the new version was in the champion's train or validation part.
        Assert.Equal(0, rows.GetProperty("excluded").GetInt32());
        Assert.Equal(rows.GetProperty("test").GetInt32(), rows.GetProperty("compared").GetInt32());
    }

    [Fact]
    public async Task A_candidate_taking_other_inputs_than_the_champion_is_not_promoted_unless_the_request_allows_it()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "income", Encoding.UTF8.GetBytes(Csv(s_adult.Skip(1).Take(6_000))), "older.csv")).Status);
        await TrainingPipelineTests.TrainAsync(client, Train("shape", "income", 1));
        var wider = Train("shape", "income", 2).Replace("\"marital_status\"]", "\"marital_status\", \"occupation\"]", StringComparison.Ordinal);

        var refused = (await TrainingPipelineTests.TrainAsync(client, wider)).GetProperty("output");
        var allowed = (await TrainingPipelineTests.TrainAsync(client, wider.Replace("\"seed\": 2", "\"seed\": 3, \"allowSignatureChange\": true, \"gate\": {\"minRows\": 0}", StringComparison.Ordinal))).GetProperty("output");

        Assert.Equal("not-promoted", refused.GetProperty("promotion").GetString());
        Assert.Contains("input 'occupation' is absent in v1", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("allowSignatureChange", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("other inputs", allowed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(allowed.GetProperty("gate").TryGetProperty("championMetrics", out _), allowed.ToString());
    }

    [Fact]
    public async Task A_listed_text_feature_with_many_values_is_hashed_not_dropped_and_the_model_takes_it()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        var flights = new StringBuilder("origin,carrier,distance,delayed\n");
        var random = new Random(5);
        for (var i = 0; i < 8_000; i++)
        {
            var origin = random.Next(120);
            flights.Append(CultureInfo.InvariantCulture, $"A{origin:D3},C{random.Next(5)},{random.Next(100, 3000)},{(origin % 3 == 0 || random.NextDouble() < 0.1 ? "yes" : "no")}\n");
        }

        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "flights", Encoding.UTF8.GetBytes(flights.ToString()), "flights.csv")).Status);
        var (status, started) = await TrainingPipelineTests.PostAsync(client, "api/pipelines/training",
            """{"model": "delays", "dataset": "flights", "datasetVersion": 1, "label": "delayed", "features": ["origin", "carrier", "distance"], "trainers": ["lightgbm"], "trials": 1}""");

        Assert.Equal(HttpStatusCode.Accepted, status);
        var plan = started.GetProperty("plan");
        Assert.Equal("hashed", plan.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "origin").GetProperty("kind").GetString());
        Assert.Empty(plan.GetProperty("skippedFeatures").EnumerateObject());
        var end = await client.WaitForEndAsync(started.GetProperty("id").GetString()!, TimeSpan.FromMinutes(4));
        Assert.True(end.GetProperty("runtimeStatus").GetString() == "Completed", end.ToString());
        // The airport carries the signal: a model that kept it ranks far better than chance.
        Assert.True(end.GetProperty("output").GetProperty("testMetrics").GetProperty("auc").GetDouble() > 0.8, end.ToString());
        var version = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/models/delays/versions/1", UriKind.Relative))).RootElement;
        Assert.Contains(version.GetProperty("signature").GetProperty("inputs").EnumerateArray(), i => i.GetProperty("name").GetString() == "origin");
        using var content = new StringContent("""{"records": [{"origin": "A003", "carrier": "C1", "distance": 900}, {"origin": "Z999", "carrier": "C1", "distance": 900}]}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("api/models/delays/predict", UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Text_left_to_the_default_features_that_is_an_id_is_skipped_and_the_202_status_and_run_say_why()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        var rows = new StringBuilder("id,group,x,y\n");
        for (var i = 0; i < 400; i++)
        {
            rows.Append(CultureInfo.InvariantCulture, $"row{i},g{i % 120},{i % 17},{(i % 2 == 0 ? "a" : "b")}\n");
        }

        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "ids", Encoding.UTF8.GetBytes(rows.ToString()), "ids.csv")).Status);
        var (status, started) = await TrainingPipelineTests.PostAsync(client, "api/pipelines/training", """{"model": "ids", "dataset": "ids", "label": "y", "trainers": ["linear"], "trials": 1}""");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Contains("an id or free text", started.GetProperty("plan").GetProperty("skippedFeatures").GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("hashed", started.GetProperty("plan").GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "group").GetProperty("kind").GetString());
        var end = await client.WaitForEndAsync(started.GetProperty("id").GetString()!, TimeSpan.FromMinutes(4));
        Assert.Contains("an id or free text", end.GetProperty("customStatus").GetProperty("skippedFeatures").GetProperty("id").GetString(), StringComparison.Ordinal);
        var run = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/runs/{end.GetProperty("output").GetProperty("runId").GetString()}", UriKind.Relative))).RootElement;
        Assert.True(run.GetProperty("skippedFeatures").TryGetProperty("id", out _), run.ToString());
        var report = await client.GetStringAsync(new Uri($"api/pipelines/{started.GetProperty("id").GetString()}/report.html", UriKind.Relative));
        Assert.Contains("Column &#39;id&#39; is not a feature", report, StringComparison.Ordinal);

        // Named, the same column is not dropped: it is hashed.
        var (named, plan) = await TrainingPipelineTests.PostAsync(client, "api/pipelines/training", """{"model": "ids", "dataset": "ids", "label": "y", "features": ["id", "x"], "trainers": ["linear"], "trials": 1, "promotion": "never"}""");
        Assert.Equal(HttpStatusCode.Accepted, named);
        Assert.Equal("hashed", plan.GetProperty("plan").GetProperty("features")[0].GetProperty("kind").GetString());
        await client.WaitForEndAsync(plan.GetProperty("id").GetString()!, TimeSpan.FromMinutes(4));
    }

    /// <summary>A version's recorded split, from its training record.</summary>
    private static async Task<string> SplitOfAsync(HttpClient client, string model, int version)
    {
        var body = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/models/{model}/versions/{version}", UriKind.Relative))).RootElement;
        return body.GetProperty("training").GetProperty("split").GetString()!;
    }

    /// <summary>A row's values on the columns both models read (the features and the label), as the gate keys it.</summary>
    private static string Key(string line)
    {
        var header = s_adult[0].Split(',');
        var cells = line.Split(',').Select(c => c.Trim()).ToArray();
        return string.Join('\u001f', s_features.Append("income").Order(StringComparer.Ordinal).Select(c => cells[Array.IndexOf(header, c)]));
    }

    /// <summary>A version's AUC on these rows, scored through the serving path as a caller would.</summary>
    private static async Task<double> AucAsync(HttpClient client, string model, int version, IReadOnlyList<string> lines)
    {
        var header = s_adult[0].Split(',');
        var records = lines.Select(line =>
        {
            var cells = line.Split(',').Select(c => c.Trim()).ToArray();
            return s_features.ToDictionary(f => f, object (f) =>
            {
                var cell = cells[Array.IndexOf(header, f)];
                return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : cell;
            });
        }).ToList();
        using var content = new StringContent(JsonSerializer.Serialize(new { records }), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"api/models/{model}/versions/{version}/predict", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var scores = JsonDocument.Parse(body).RootElement.GetProperty("predictions").EnumerateArray()
            .Select(p => p.GetProperty("probabilities").GetProperty(">50K").GetDouble()).ToArray();
        var truth = lines.Select(line => line.Split(',')[^1].Trim() == ">50K" ? 1.0 : 0.0).ToArray();
        return TrainingMetrics.Compute(new ScoredRows(TrainingTask.Binary, truth, scores, ["<=50K", ">50K"]))["auc"];
    }
}
