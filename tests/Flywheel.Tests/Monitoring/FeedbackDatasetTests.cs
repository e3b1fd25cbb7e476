using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Datasets;
using Flywheel.Tests.Registry;
using Flywheel.Tests.Serving;
using static Flywheel.Tests.Monitoring.ModelMonitoringApiTests;

namespace Flywheel.Tests.Monitoring;

/// <summary>
/// <c>POST api/models/{name}/feedback-dataset</c> on LocalHost: the titanic pipeline served with a
/// shadow, predictions with their request ids, feedback for some, and the labelled rows appended as
/// a dataset version with the training data's columns; and the 4xx answers, which store nothing.
/// </summary>
public sealed class FeedbackDatasetTests
{
    private const string TitanicHeader = "pclass,survived,name,sex,age,sibsp,parch,ticket,fare,cabin,embarked,boat,body,home.dest";

    private static readonly Dictionary<string, string?> s_quickLog = new() { ["Flywheel:Serving:PredictionLogFlushInterval"] = "00:00:00.200" };

    /// <summary>
    /// Registers the titanic pipeline as <paramref name="model"/> version 1 (lineage: the titanic
    /// dataset, label from the saved training request) and, the same graph as new bytes, version 2,
    /// the shadow of a deployment that sends every request to version 1.
    /// </summary>
    private static async Task SetUpAsync(HttpClient client, string model, string training)
    {
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, training, File.ReadAllBytes(DatasetFiles.Titanic), "titanic.csv")).Status);
        foreach (var bytes in new[] { ModelFiles.Bytes(ModelFiles.TitanicPipeline), [.. ModelFiles.Bytes(ModelFiles.TitanicPipeline), 0x3A, 0x00] })
        {
            using var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(bytes), "file", "model.onnx");
            form.Add(new StringContent($$$"""{"dataset": {"name": "{{{training}}}", "version": 1}}""", Encoding.UTF8, "application/json"), "metadata");
            using var response = await client.PostAsync(new Uri($"api/models/{model}/versions", UriKind.Relative), form);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var spec = JsonSerializer.Serialize(new { model, dataset = training, label = "survived", features = new[] { "pclass", "sex", "age", "fare", "embarked" } });
        var (saved, problem) = await SendAsync(client, HttpMethod.Put, $"api/models/{model}/training", spec);
        Assert.True(saved == HttpStatusCode.Created, problem.ToString());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Put, $"api/models/{model}/deployment", """{"routes":[{"version":1,"weight":100}],"shadow":{"version":2,"sample":1.0}}""")).Status);
    }

    /// <summary>
    /// A client of <paramref name="app"/> with <paramref name="model"/> set up (<see cref="SetUpAsync"/>)
    /// and three requests, ids <c>{model}-0</c> to <c>-2</c> (the second row of the first with its keys
    /// in another order), each answered by version 1 and shadowed by version 2, all six in the log.
    /// </summary>
    private static async Task<HttpClient> ServeAsync(FlywheelApp app, string model)
    {
        var client = app.CreateClient();
        await SetUpAsync(client, model, $"{model}-train");
        var bodies = new[]
        {
            """{"records": [{"pclass": 1, "sex": "female", "age": 29, "fare": 211.3375, "embarked": "S"}, {"embarked": "C", "fare": 50.5, "age": 40, "sex": "male", "pclass": 2}]}""",
            """{"records": [{"pclass": 3, "sex": "male", "age": 22, "fare": 7.25, "embarked": "S"}]}""",
            """{"records": [{"pclass": 2, "sex": "female", "age": 35, "fare": 26, "embarked": "Q"}]}""",
        };
        for (var i = 0; i < bodies.Length; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, $"api/models/{model}/predict", bodies[i], $"{model}-{i}")).Status);
        }

        var log = await ServingApiTests.WaitForLogAsync(app.Storage, model, records => records.Count >= 6);
        Assert.Equal(3, log.Count(r => r.GetProperty("shadow").GetBoolean()));
        return client;
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> FeedbackAsync(HttpClient client, string model, string requestId, object actual) =>
        SendAsync(client, HttpMethod.Post, $"api/models/{model}/feedback", JsonSerializer.Serialize(new { requestId, actual }));

    private static async Task<string> ContentAsync(HttpClient client, string dataset, int version) =>
        await client.GetStringAsync(new Uri($"api/datasets/{dataset}/versions/{version}/content", UriKind.Relative));

    [Fact]
    public async Task Feedback_rows_become_a_dataset_version_with_the_training_columns_in_schema_order_and_the_label_filled()
    {
        await using var app = new FlywheelApp(s_quickLog);
        using var client = await ServeAsync(app, "fb-rows");
        Assert.Equal(HttpStatusCode.Accepted, (await FeedbackAsync(client, "fb-rows", "fb-rows-0", new[] { 1, 0 })).Status);
        // Request 1 gets no feedback; request 2's first answer is corrected: the latest wins.
        Assert.Equal(HttpStatusCode.Accepted, (await FeedbackAsync(client, "fb-rows", "fb-rows-2", 1)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await FeedbackAsync(client, "fb-rows", "fb-rows-2", 0)).Status);

        var (status, body) = await SendAsync(client, HttpMethod.Post, "api/models/fb-rows/feedback-dataset", """{"dataset": "fb-rows-out"}""");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("fb-rows-out", body.GetProperty("dataset").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal(3, body.GetProperty("rows").GetInt64());
        Assert.True(body.GetProperty("created").GetBoolean());
        Assert.Equal("survived", body.GetProperty("label").GetString());
        // Version 2 only shadowed: its answers are not rows.
        Assert.Equal([1], body.GetProperty("modelVersions").EnumerateArray().Select(v => v.GetInt32()));
        Assert.StartsWith("feedback of model fb-rows versions 1 from ", body.GetProperty("source").GetString(), StringComparison.Ordinal);
        var version = await DatasetApiTests.GetJsonAsync(client, "api/datasets/fb-rows-out/versions/1");
        Assert.Equal(body.GetProperty("source").GetString(), version.GetProperty("source").GetString());
        Assert.Equal(
            [
                TitanicHeader,
                "1,1,,female,29,,,,211.3375,,S,,,",
                "2,0,,male,40,,,,50.5,,C,,,",
                "2,0,,female,35,,,,26,,Q,,,",
            ],
            (await ContentAsync(client, "fb-rows-out", 1)).Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // The same rows again are the same version (datasets are content-addressed).
        var (again, same) = await SendAsync(client, HttpMethod.Post, "api/models/fb-rows/feedback-dataset", """{"dataset": "fb-rows-out", "version": 1}""");
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.False(same.GetProperty("created").GetBoolean());
        Assert.Equal(1, same.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task No_feedback_in_the_window_is_a_422_and_stores_nothing()
    {
        await using var app = new FlywheelApp(s_quickLog);
        using var client = await ServeAsync(app, "fb-none");
        Assert.Equal(HttpStatusCode.Accepted, (await FeedbackAsync(client, "fb-none", "fb-none-1", 1)).Status);

        // Version 2 answered no live request (it only shadowed), so none of its predictions has feedback.
        var (status, problem) = await SendAsync(client, HttpMethod.Post, "api/models/fb-none/feedback-dataset", """{"dataset": "fb-none-out", "version": 2}""");
        // A window before the predictions has none either.
        var (early, earlyProblem) = await SendAsync(client, HttpMethod.Post, "api/models/fb-none/feedback-dataset", """{"dataset": "fb-none-out", "from": "2020-01-01T00:00:00Z", "to": "2020-01-02T00:00:00Z"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.EndsWith("/no-feedback", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains("version 2", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early);
        Assert.EndsWith("/no-feedback", earlyProblem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "api/datasets/fb-none-out")).Status);
    }

    [Theory]
    [InlineData("{}", "dataset")]
    [InlineData("""{"dataset": "Not A Name"}""", "dataset")]
    [InlineData("""{"dataset": "fb-bad-out", "from": "yesterday"}""", "from")]
    [InlineData("""{"dataset": "fb-bad-out", "from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}""", "from must be before to")]
    [InlineData("""{"dataset": "fb-bad-out", "from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}""", "at most 31 days")]
    public async Task A_bad_body_is_a_400_naming_the_field_and_stores_nothing(string body, string named)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "fb-bad", ModelFiles.TitanicPipeline);

        var (status, problem) = await SendAsync(client, HttpMethod.Post, "api/models/fb-bad/feedback-dataset", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "api/datasets/fb-bad-out")).Status);
    }

    [Fact]
    public async Task An_unknown_model_is_a_404()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, problem) = await SendAsync(client, HttpMethod.Post, "api/models/fb-nobody/feedback-dataset", """{"dataset": "fb-nobody-out"}""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("fb-nobody", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "api/datasets/fb-nobody-out")).Status);
    }

    [Fact]
    public async Task A_model_without_training_data_or_label_is_a_422()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "fb-orphan", ModelFiles.TitanicPipeline);

        var (status, problem) = await SendAsync(client, HttpMethod.Post, "api/models/fb-orphan/feedback-dataset", """{"dataset": "fb-orphan-out"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.EndsWith("/no-training-data", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_dataset_with_other_columns_is_a_409_naming_them_and_keeps_its_versions()
    {
        await using var app = new FlywheelApp(s_quickLog);
        using var client = await ServeAsync(app, "fb-clash");
        Assert.Equal(HttpStatusCode.Accepted, (await FeedbackAsync(client, "fb-clash", "fb-clash-1", 0)).Status);
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "fb-clash-out", "pclass,survived,colour\n1,0,red\n"u8.ToArray(), "other.csv")).Status);

        var (status, problem) = await SendAsync(client, HttpMethod.Post, "api/models/fb-clash/feedback-dataset", """{"dataset": "fb-clash-out"}""");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.EndsWith("/schema-mismatch", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("'colour'", detail, StringComparison.Ordinal);
        Assert.Contains("'home.dest'", detail, StringComparison.Ordinal);
        var versions = await DatasetApiTests.GetJsonAsync(client, "api/datasets/fb-clash-out/versions");
        Assert.Single(versions.GetProperty("items").EnumerateArray());
    }
}
