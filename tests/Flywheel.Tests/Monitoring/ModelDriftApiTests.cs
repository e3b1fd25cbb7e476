using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Datasets;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Monitoring;

/// <summary><c>POST api/models/{name}/drift/run</c>: a served model's logged inputs against its training data (lineage), on demand.</summary>
public sealed class ModelDriftApiTests
{
    private static readonly Dictionary<string, string?> s_quickLog = new() { ["Flywheel:Serving:PredictionLogFlushInterval"] = "00:00:00.200" };

    private static async Task<(HttpStatusCode Status, JsonElement Body)> RunAsync(HttpClient client, string model, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"api/models/{model}/drift/run", UriKind.Relative), content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task RegisterWithLineageAsync(HttpClient client)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(ModelFiles.Bytes(ModelFiles.TitanicPipeline)), "file", "model.onnx");
        form.Add(new StringContent("""{"dataset": {"name": "titanic", "version": 1}}""", Encoding.UTF8, "application/json"), "metadata");
        using var response = await client.PostAsync(new Uri("api/models/survival/versions", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Logged_inputs_are_compared_with_the_training_data_and_a_shifted_feature_drifts()
    {
        await using var app = new FlywheelApp(s_quickLog);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "titanic", File.ReadAllBytes(DatasetFiles.Titanic), "titanic.csv")).Status);
        await RegisterWithLineageAsync(client);
        // 180 passengers, everyone about 40 years older than the training rows.
        var random = new Random(3);
        for (var request = 0; request < 3; request++)
        {
            var records = Enumerable.Range(0, 60).Select(i => new Dictionary<string, object?>
            {
                ["pclass"] = 1, ["sex"] = i % 2 == 0 ? "female" : "male", ["age"] = 60 + random.Next(0, 30), ["fare"] = Math.Round(random.NextDouble() * 200, 2), ["embarked"] = i % 3 == 0 ? "C" : "S",
            });
            using var content = new StringContent(JsonSerializer.Serialize(new { records }), Encoding.UTF8, "application/json");
            Assert.True((await client.PostAsync(new Uri("api/models/survival/predict", UriKind.Relative), content)).IsSuccessStatusCode);
        }

        JsonElement report = default;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            (_, report) = await RunAsync(client, "survival", "{}");
            if (report.GetProperty("current").GetProperty("rows").GetInt64() == 180)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(180, report.GetProperty("current").GetProperty("rows").GetInt64());
        Assert.Equal("titanic", report.GetProperty("reference").GetProperty("name").GetString());
        Assert.Equal(38, report.GetProperty("reference").GetProperty("rows").GetInt64());
        var columns = report.GetProperty("columnResults").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.Equal(["age", "embarked", "fare", "pclass", "sex"], columns.Keys.Order());
        Assert.Equal("ks", columns["age"].GetProperty("method").GetString());
        Assert.True(columns["age"].GetProperty("drifted").GetBoolean());
        Assert.Equal("age", report.GetProperty("columnResults")[0].GetProperty("column").GetString());

        var (_, few) = await RunAsync(client, "survival", """{"minRows": 1000}""");
        Assert.Equal(0, few.GetProperty("columns").GetInt32());
        Assert.False(few.GetProperty("datasetDrift").GetBoolean());
        Assert.Contains("at least 1,000", few.GetProperty("note").GetString(), StringComparison.Ordinal);

        using var html = await client.PostAsync(new Uri("api/models/survival/drift/run?format=html", UriKind.Relative), null);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_model_without_a_reference_a_bad_window_or_no_such_model_is_a_4xx()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, await ModelFiles.RegisterAsync(client, "flowers", ModelFiles.IrisZipMap));

        var (status, problem) = await RunAsync(client, "flowers", "{}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("no reference", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var future = DateTimeOffset.UtcNow.AddDays(2).ToString("O", CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.BadRequest, (await RunAsync(client, "flowers", $$"""{"to": "{{future}}"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await RunAsync(client, "flowers", """{"from": "2026-12-02T00:00:00Z", "to": "2026-12-01T00:00:00Z"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await RunAsync(client, "flowers", """{"windw": "PT1H"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await RunAsync(client, "no-such-model", "{}")).Status);
    }
}
