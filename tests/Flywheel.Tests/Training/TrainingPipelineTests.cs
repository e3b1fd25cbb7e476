using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Datasets;
using Flywheel.Tests.Pipelines;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Training;

/// <summary>Training pipelines end to end over HTTP on LocalHost's engine and Azurite: start, search, register, gate, promote, track, report.</summary>
public sealed class TrainingPipelineTests
{
    private static readonly Dictionary<string, string?> s_engineOn = new() { ["Flywheel:LocalEngine:Enabled"] = "true" };

    private const string TitanicFeatures = """["pclass", "sex", "age", "fare", "embarked"]""";

    internal static async Task<FlywheelApp> TitanicAppAsync()
    {
        var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "titanic", File.ReadAllBytes(DatasetFiles.Titanic), "titanic.csv")).Status);
        return app;
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    internal static async Task<JsonElement> TrainAsync(HttpClient client, string body)
    {
        var (status, started) = await PostAsync(client, "api/pipelines/training", body);
        Assert.True(status == HttpStatusCode.Accepted, started.ToString());
        var end = await client.WaitForEndAsync(started.GetProperty("id").GetString()!, TimeSpan.FromMinutes(4));
        Assert.True(end.GetProperty("runtimeStatus").GetString() == "Completed", end.ToString());
        return end;
    }

    [Fact]
    public async Task A_titanic_run_registers_promotes_and_serves_a_model_with_every_trial_tracked()
    {
        await using var app = await TitanicAppAsync();
        using var client = app.CreateClient();

        var end = await TrainAsync(client, $$"""{"model": "survival", "dataset": "titanic", "label": "survived", "features": {{TitanicFeatures}}, "trials": 8, "seed": 7}""");

        var output = end.GetProperty("output");
        Assert.Equal("promoted", output.GetProperty("promotion").GetString());
        Assert.Contains("no champion yet", output.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("binary", output.GetProperty("task").GetString());
        Assert.Equal("auc", output.GetProperty("metric").GetString());
        Assert.Equal(8, output.GetProperty("trialsDone").GetInt32());
        // 38 passengers leave a handful of test rows: the AUC is coarse, and the report says so.
        Assert.InRange(output.GetProperty("testMetrics").GetProperty("auc").GetDouble(), 0, 1);
        Assert.Equal(output.GetProperty("gate").GetProperty("rows").GetProperty("test").GetInt32(), output.GetProperty("gate").GetProperty("rows").GetProperty("compared").GetInt32());
        var status = end.GetProperty("customStatus");
        Assert.Equal("completed", status.GetProperty("step").GetString());
        Assert.Equal(8, status.GetProperty("trialsTotal").GetInt32());

        // The champion serves the class as the data names it, with a probability per class.
        using (var content = new StringContent("""{"records": [{"pclass": 1, "sex": "female", "age": 29, "fare": 211.3, "embarked": "S"}]}""", Encoding.UTF8, "application/json"))
        using (var response = await client.PostAsync(new Uri("api/models/survival/predict", UriKind.Relative), content))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            var prediction = JsonDocument.Parse(body).RootElement.GetProperty("predictions")[0];
            Assert.Equal(1, prediction.GetProperty("label").GetInt64());
            Assert.True(prediction.GetProperty("probabilities").GetProperty("1").GetDouble() > 0.5, body);
        }

        var model = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/models/survival", UriKind.Relative))).RootElement;
        Assert.Equal(1, model.GetProperty("aliases").GetProperty("champion").GetInt32());

        // The gate kept the winner's answers on the test rows: the reference prediction drift compares with.
        var models = await app.Storage.ContainerAsync(Flywheel.Storage.StorageNames.ModelsContainer, CancellationToken.None);
        var reference = JsonDocument.Parse((await models.GetBlobClient("survival/monitoring/reference-predictions/1.json").DownloadContentAsync()).Value.Content.ToString()).RootElement;
        Assert.Contains("test rows of pipeline", reference.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.InRange(reference.GetProperty("predictions").GetArrayLength(), 1, 38);

        // Every trial is a run; the winner's run has test metrics and its model version.
        var runs = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/runs?model=survival", UriKind.Relative))).RootElement.GetProperty("items");
        Assert.Equal(8, runs.GetArrayLength());
        Assert.All(runs.EnumerateArray(), r => Assert.Equal("FINISHED", r.GetProperty("status").GetString()));
        var winner = runs.EnumerateArray().Single(r => r.TryGetProperty("modelVersion", out _));
        Assert.Equal(output.GetProperty("runId").GetString(), winner.GetProperty("runId").GetString());
        Assert.True(winner.GetProperty("metrics").TryGetProperty("test_auc", out _));
        var run = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/runs/{winner.GetProperty("runId").GetString()}", UriKind.Relative))).RootElement;
        Assert.Equal("titanic", run.GetProperty("dataset").GetString());
        Assert.Equal(64, run.GetProperty("datasetSha256").GetString()!.Length);

        var lightgbm = JsonDocument.Parse(await client.GetStringAsync(new Uri(
            "api/runs?model=survival&filter=" + Uri.EscapeDataString("metrics.auc > 0.5 and params.trainer = 'lightgbm'") + "&orderBy=" + Uri.EscapeDataString("metrics.auc DESC"), UriKind.Relative))).RootElement.GetProperty("items");
        Assert.NotEmpty(lightgbm.EnumerateArray());
        Assert.All(lightgbm.EnumerateArray(), r => Assert.Equal("lightgbm", r.GetProperty("trainer").GetString()));
        var aucs = lightgbm.EnumerateArray().Select(r => r.GetProperty("metrics").GetProperty("auc").GetDouble()).ToList();
        Assert.Equal(aucs.OrderDescending(), aucs);

        var metrics = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/models/survival/metrics", UriKind.Relative))).RootElement.GetProperty("metrics");
        Assert.Equal(1, metrics.GetProperty("auc")[0].GetProperty("version").GetInt32());

        var card = await client.GetStringAsync(new Uri("api/models/survival/versions/1/card", UriKind.Relative));
        Assert.Contains("Permutation importance", card, StringComparison.Ordinal);
        Assert.Contains("| sex |", card, StringComparison.Ordinal);

        using var report = await client.GetAsync(new Uri($"api/pipelines/{end.GetProperty("instanceId").GetString()}/report.html", UriKind.Relative));
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
        var html = await report.Content.ReadAsStringAsync();
        Assert.Contains("id=\"leaderboard\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"roc\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_candidate_that_does_not_beat_a_champion_made_elsewhere_by_the_margin_is_registered_but_not_promoted()
    {
        await using var app = await TitanicAppAsync();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, await ModelFiles.RegisterAsync(client, "survival", ModelFiles.TitanicPipeline));
        using (var alias = new StringContent("""{"version": 1}""", Encoding.UTF8, "application/json"))
        {
            Assert.True((await client.PutAsync(new Uri("api/models/survival/aliases/champion", UriKind.Relative), alias)).IsSuccessStatusCode);
        }

        var end = await TrainAsync(client, $$$"""
            {"model": "survival", "dataset": "titanic", "label": "survived", "features": {{{TitanicFeatures}}}, "trials": 3,
             "gate": {"minAbsoluteChange": 0.5, "minRows": 0}, "allowSignatureChange": true}
            """);

        var output = end.GetProperty("output");
        Assert.Equal("not-promoted", output.GetProperty("promotion").GetString());
        Assert.Equal(2, output.GetProperty("version").GetInt32());
        var gate = output.GetProperty("gate");
        Assert.False(gate.GetProperty("passed").GetBoolean());
        Assert.Equal(1, gate.GetProperty("championVersion").GetInt32());
        Assert.True(gate.TryGetProperty("championMetrics", out _), gate.ToString());
        // The scikit-learn champion was scored through the serving path on the same rows (few rows: its AUC is coarse).
        Assert.InRange(gate.GetProperty("championMetrics").GetProperty("auc").GetDouble(), 0, 1);
        Assert.Equal(7, gate.GetProperty("championMetrics").EnumerateObject().Count());
        // On this few rows either the candidate is no better or it is better by less than the margin; both are a failed gate with its reason.
        Assert.Contains(gate.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("minAbsoluteChange", StringComparison.Ordinal) || r.GetString()!.Contains("is not better than", StringComparison.Ordinal));
        Assert.Contains(gate.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("no training lineage", StringComparison.Ordinal));
        var model = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/models/survival", UriKind.Relative))).RootElement;
        Assert.Equal(1, model.GetProperty("aliases").GetProperty("champion").GetInt32());
    }

    [Fact]
    public async Task Manual_promotion_waits_for_an_approval_and_a_bad_approval_is_a_400()
    {
        await using var app = await TitanicAppAsync();
        using var client = app.CreateClient();
        var (_, started) = await PostAsync(client, "api/pipelines/training", $$"""
            {"model": "approved", "dataset": "titanic", "label": "survived", "features": {{TitanicFeatures}}, "trials": 2, "promotion": "manual", "approvalTimeout": "PT10M"}
            """);
        var id = started.GetProperty("id").GetString()!;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while ((await client.StatusAsync(id)).GetProperty("customStatus") is var s && (s.ValueKind != JsonValueKind.Object || s.GetProperty("step").GetString() != "awaiting-approval"))
        {
            Assert.True(DateTime.UtcNow < deadline, s.ToString());
            await Task.Delay(200);
        }

        var (bad, problem) = await PostAsync(client, $"api/pipelines/{id}/events/approval", """{"approved": "yes"}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("approved", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(client, $"api/pipelines/{id}/events/approval", """{"approved": true, "by": "ana", "comment": "looks good"}""")).Status);
        var end = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(1));
        var output = end.GetProperty("output");
        Assert.Equal("promoted", output.GetProperty("promotion").GetString());
        Assert.Contains("approved by ana: \"looks good\"", output.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manual_promotion_without_an_answer_is_rejected_when_the_timeout_fires()
    {
        await using var app = await TitanicAppAsync();
        using var client = app.CreateClient();

        var end = await TrainAsync(client, $$"""
            {"model": "unanswered", "dataset": "titanic", "label": "survived", "features": {{TitanicFeatures}}, "trials": 1, "promotion": "manual", "approvalTimeout": "PT2S"}
            """);

        var output = end.GetProperty("output");
        Assert.Equal("rejected", output.GetProperty("promotion").GetString());
        Assert.Contains("no approval within PT2S", output.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var model = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/models/unanswered", UriKind.Relative))).RootElement;
        Assert.False(model.GetProperty("aliases").TryGetProperty("champion", out _));
    }

    [Fact]
    public async Task The_same_request_and_seed_give_the_same_metrics_and_the_same_model_bytes()
    {
        await using var app = await TitanicAppAsync();
        using var client = app.CreateClient();
        var request = $$"""{"model": "twice", "dataset": "titanic", "label": "survived", "features": {{TitanicFeatures}}, "trials": 4, "seed": 11}""";

        var first = (await TrainAsync(client, request)).GetProperty("output");
        var second = (await TrainAsync(client, request)).GetProperty("output");

        Assert.Equal(first.GetProperty("testMetrics").ToString(), second.GetProperty("testMetrics").ToString());
        // Identical bytes are the same registered version: the second run finds it is already the champion.
        Assert.Equal(1, second.GetProperty("version").GetInt32());
        Assert.Contains("already the champion", second.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_training_requests_are_4xx_problems_naming_the_mistake_and_start_nothing()
    {
        await using var app = await TitanicAppAsync();
        using var client = app.CreateClient();
        (string Body, HttpStatusCode Status, string Detail)[] cases =
        [
            ("""{"model": "bad-model", "dataset": "titanic"}""", HttpStatusCode.BadRequest, "label"),
            ("""{"model": "bad-model", "dataset": "titanic", "label": "survived", "trails": 3}""", HttpStatusCode.BadRequest, "trails"),
            ("""{"model": "bad-model", "dataset": "nope", "label": "survived"}""", HttpStatusCode.NotFound, "nope"),
            ("""{"model": "bad-model", "dataset": "titanic", "label": "survival"}""", HttpStatusCode.UnprocessableEntity, "survival"),
            ("""{"model": "bad-model", "dataset": "titanic", "label": "survived", "promotion": "sometimes"}""", HttpStatusCode.BadRequest, "promotion"),
        ];

        foreach (var (body, status, detail) in cases)
        {
            var (actual, problem) = await PostAsync(client, "api/pipelines/training", body);
            Assert.True(status == actual, $"{body}: {actual} {problem}");
            Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var list = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/pipelines", UriKind.Relative))).RootElement;
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri("api/runs?filter=" + Uri.EscapeDataString("metrics.auc >> 1"), UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri("api/runs?orderBy=" + Uri.EscapeDataString("attributes.colour"), UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_saved_training_request_reruns_on_the_latest_data()
    {
        await using var app = await TitanicAppAsync();
        using var client = app.CreateClient();
        using (var spec = new StringContent($$"""{"dataset": "titanic", "datasetVersion": "1", "label": "survived", "features": {{TitanicFeatures}}, "trials": 1, "promotion": "never"}""", Encoding.UTF8, "application/json"))
        {
            var saved = await client.PutAsync(new Uri("api/models/rerun/training", UriKind.Relative), spec);
            Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        }

        var stored = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/models/rerun/training", UriKind.Relative))).RootElement;
        Assert.Equal("rerun", stored.GetProperty("model").GetString());
        using (var wrong = new StringContent("""{"model": "other", "dataset": "titanic", "label": "survived"}""", Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync(new Uri("api/models/rerun/training", UriKind.Relative), wrong)).StatusCode);
        }

        var (status, started) = await PostAsync(client, "api/models/rerun/train", string.Empty);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var end = await client.WaitForEndAsync(started.GetProperty("id").GetString()!, TimeSpan.FromMinutes(2));
        Assert.Equal("registered", end.GetProperty("output").GetProperty("promotion").GetString());
        Assert.Equal("latest", end.GetProperty("input").GetProperty("plan").GetProperty("request").GetProperty("datasetVersion").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(client, "api/models/nothing-saved/train", string.Empty)).Status);
    }
}
