using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Flywheel.Tests.Pipelines;

public sealed class BatchScoringApiTests
{
    private static readonly Dictionary<string, string?> s_engineOn = new() { ["Flywheel:LocalEngine:Enabled"] = "true" };

    [Fact]
    public async Task Batch_scoring_writes_every_row_once_in_order_with_the_predictions_the_predict_endpoint_gives()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        await IrisData.SeedAsync(client, 1_050);

        var (status, started, location) = await client.StartBatchAsync("iris", """{"dataset": "flowers", "chunkRows": 200}""");

        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = started.GetProperty("id").GetString()!;
        Assert.EndsWith($"api/pipelines/{id}", started.GetProperty("statusQueryGetUri").GetString(), StringComparison.Ordinal);
        Assert.EndsWith($"api/pipelines/{id}/events/{{eventName}}", started.GetProperty("sendEventPostUri").GetString(), StringComparison.Ordinal);
        Assert.EndsWith($"api/pipelines/{id}/terminate", started.GetProperty("terminatePostUri").GetString(), StringComparison.Ordinal);
        Assert.Equal(started.GetProperty("statusQueryGetUri").GetString(), location?.ToString());

        var end = await client.WaitForEndAsync(id, TimeSpan.FromSeconds(90));
        Assert.Equal("Completed", end.GetProperty("runtimeStatus").GetString());
        Assert.Equal("BatchScoringOrchestration", end.GetProperty("name").GetString());
        Assert.Equal(id, end.GetProperty("instanceId").GetString());
        Assert.Equal("flowers", end.GetProperty("input").GetProperty("request").GetProperty("dataset").GetString());
        var progress = end.GetProperty("customStatus");
        Assert.Equal(6, progress.GetProperty("chunksTotal").GetInt32());
        Assert.Equal(6, progress.GetProperty("chunksDone").GetInt32());
        Assert.Equal(1_050, progress.GetProperty("rowsScored").GetInt64());
        var output = end.GetProperty("output");
        Assert.Equal(1_050, output.GetProperty("rows").GetInt64());
        Assert.Equal(1, output.GetProperty("modelVersion").GetInt32());
        Assert.Equal($"predictions/batch/iris/{id}/predictions.csv", output.GetProperty("blob").GetString());
        Assert.True(end.GetProperty("createdTime").GetDateTimeOffset() <= end.GetProperty("lastUpdatedTime").GetDateTimeOffset());

        var lines = (await client.GetStringAsync(new Uri(output.GetProperty("contentUrl").GetString()!, UriKind.Relative))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row,modelVersion,label,probabilities.0,probabilities.1,probabilities.2", lines[0]);
        Assert.Equal(1_051, lines.Length);
        Assert.Equal(Enumerable.Range(1, 1_050).Select(i => i.ToString(CultureInfo.InvariantCulture)), lines.Skip(1).Select(l => l.Split(',')[0]));

        // The same rows through the predict endpoint give the same labels.
        var rows = IrisData.Csv(1_050).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        foreach (var index in new[] { 0, 60, 149, 700, 1_049 })
        {
            var cells = rows[index].Split(',').Take(4).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            var record = IrisData.Features.Zip(cells).ToDictionary(p => p.First, p => p.Second);
            using var body = new StringContent(JsonSerializer.Serialize(new { records = new[] { record } }), Encoding.UTF8, "application/json");
            using var answer = await client.PostAsync(new Uri("api/models/iris/predict", UriKind.Relative), body);
            var prediction = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0];
            Assert.Equal(prediction.GetProperty("label").GetInt64().ToString(CultureInfo.InvariantCulture), lines[index + 1].Split(',')[2]);
        }
    }

    [Fact]
    public async Task Batch_scoring_writes_json_lines_of_row_version_and_prediction()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        await IrisData.SeedAsync(client, 150);

        var (_, started, _) = await client.StartBatchAsync("iris", """{"dataset": "flowers", "datasetVersion": "1", "modelVersion": "latest", "output": "jsonl"}""");
        var end = await client.WaitForEndAsync(started.GetProperty("id").GetString()!, TimeSpan.FromSeconds(90));

        Assert.Equal("Completed", end.GetProperty("runtimeStatus").GetString());
        using var response = await client.GetAsync(new Uri(end.GetProperty("output").GetProperty("contentUrl").GetString()!, UriKind.Relative));
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(150, lines.Length);
        var last = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal(150, last.GetProperty("row").GetInt32());
        Assert.Equal(1, last.GetProperty("modelVersion").GetInt32());
        Assert.Equal(2, last.GetProperty("prediction").GetProperty("label").GetInt32());
        Assert.Equal(3, last.GetProperty("prediction").GetProperty("probabilities").EnumerateObject().Count());
    }

    [Fact]
    public async Task A_parquet_version_scores_row_group_by_row_group_to_the_same_file_as_the_same_rows_in_csv()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        await IrisData.SeedAsync(client, 450);
        var rows = IrisData.Csv(450).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',')).Select(c => new IrisRow
            {
                sepal_length = double.Parse(c[0], CultureInfo.InvariantCulture),
                sepal_width = double.Parse(c[1], CultureInfo.InvariantCulture),
                petal_length = double.Parse(c[2], CultureInfo.InvariantCulture),
                petal_width = double.Parse(c[3], CultureInfo.InvariantCulture),
            }).ToList();
        using var parquet = new MemoryStream();
        await Parquet.Serialization.ParquetSerializer.SerializeAsync(rows, parquet, new Parquet.ParquetOptions { RowGroupSize = 100 });
        using (var content = new ByteArrayContent(parquet.ToArray()))
        {
            content.Headers.Add(Api.Datasets.DatasetHandlers.FileNameHeader, "iris.parquet");
            (await client.PutAsync(new Uri("api/datasets/flowers-parquet", UriKind.Relative), content)).EnsureSuccessStatusCode();
        }

        var (_, fromCsv, _) = await client.StartBatchAsync("iris", """{"dataset": "flowers"}""");
        var (_, fromParquet, _) = await client.StartBatchAsync("iris", """{"dataset": "flowers-parquet", "chunkRows": 200}""");
        var csvEnd = await client.WaitForEndAsync(fromCsv.GetProperty("id").GetString()!, TimeSpan.FromSeconds(90));
        var parquetEnd = await client.WaitForEndAsync(fromParquet.GetProperty("id").GetString()!, TimeSpan.FromSeconds(90));

        Assert.Equal("Completed", parquetEnd.GetProperty("runtimeStatus").GetString());
        Assert.Equal(3, parquetEnd.GetProperty("customStatus").GetProperty("chunksTotal").GetInt32());
        Assert.Equal(450, parquetEnd.GetProperty("output").GetProperty("rows").GetInt64());
        Assert.Equal(
            await client.GetStringAsync(new Uri(csvEnd.GetProperty("output").GetProperty("contentUrl").GetString()!, UriKind.Relative)),
            await client.GetStringAsync(new Uri(parquetEnd.GetProperty("output").GetProperty("contentUrl").GetString()!, UriKind.Relative)));
    }

    [Theory]
    [InlineData("ghost", """{"dataset": "flowers"}""", HttpStatusCode.NotFound, "Model 'ghost' is not registered")]
    [InlineData("iris", """{"dataset": "ghost"}""", HttpStatusCode.NotFound, "Dataset 'ghost' has no version 'latest'")]
    [InlineData("iris", """{"dataset": "flowers", "datasetVersion": "4"}""", HttpStatusCode.NotFound, "Dataset 'flowers' has no version '4'")]
    [InlineData("iris", """{"dataset": "flowers", "modelVersion": "champion"}""", HttpStatusCode.NotFound, "no version or alias 'champion'")]
    [InlineData("iris", """{"dataset": "narrow"}""", HttpStatusCode.UnprocessableEntity, "lacks column(s) 'petal_length', 'petal_width'")]
    [InlineData("iris", """{"dataset": "flowers", "chunkRows": 10}""", HttpStatusCode.BadRequest, "chunkRows must be within")]
    [InlineData("iris", """{"dataset": "flowers", "output": "xml"}""", HttpStatusCode.BadRequest, "$.output")]
    [InlineData("iris", """{"dataset": "flowers", "chunks": 3}""", HttpStatusCode.BadRequest, "$.chunks: unknown key")]
    [InlineData("iris", """{"datasetVersion": "1"}""", HttpStatusCode.BadRequest, "dataset")]
    [InlineData("iris", "[1, 2]", HttpStatusCode.BadRequest, "$: expected an object, got an array")]
    [InlineData("Bad Name", """{"dataset": "flowers"}""", HttpStatusCode.BadRequest, "not a valid model name")]
    public async Task Bad_batch_request_is_a_4xx_problem_at_the_start_and_starts_nothing(string model, string body, HttpStatusCode expected, string detail)
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        await IrisData.SeedAsync(client, 150);
        using (var narrow = Datasets.DatasetFiles.Csv("sepal_length,sepal_width\n1,2\n3,4\n"))
        {
            (await client.PutAsync(new Uri("api/datasets/narrow", UriKind.Relative), narrow)).EnsureSuccessStatusCode();
        }

        var (status, problem, _) = await client.StartBatchAsync(Uri.EscapeDataString(model), body);

        Assert.Equal(expected, status);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var listing = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/pipelines", UriKind.Relative))).RootElement;
        Assert.Equal(0, listing.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Pipelines_list_filters_by_name_and_status_and_unknown_ids_are_404()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        await IrisData.SeedAsync(client, 150);
        var (_, started, _) = await client.StartBatchAsync("iris", """{"dataset": "flowers"}""");
        var id = started.GetProperty("id").GetString()!;
        await client.WaitForEndAsync(id, TimeSpan.FromSeconds(90));

        var completed = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/pipelines?status=Completed&name=BatchScoringOrchestration", UriKind.Relative))).RootElement;
        var failed = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/pipelines?status=Failed", UriKind.Relative))).RootElement;
        var later = JsonDocument.Parse(await client.GetStringAsync(new Uri($"api/pipelines?createdFrom={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}", UriKind.Relative))).RootElement;

        Assert.Equal(id, Assert.Single(completed.GetProperty("items").EnumerateArray()).GetProperty("instanceId").GetString());
        Assert.Empty(failed.GetProperty("items").EnumerateArray());
        Assert.Empty(later.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri("api/pipelines?status=Sleeping", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("api/pipelines/nope", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("api/pipelines/nope/output", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(new Uri("api/pipelines/nope/terminate", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync(new Uri($"api/pipelines/{id}/terminate", UriKind.Relative), null)).StatusCode);
    }

    [Fact]
    public async Task A_name_filtered_pipelines_page_is_full_and_ends_with_no_token_when_nothing_more_matches()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        await IrisData.SeedAsync(client, 150);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (_, started, _) = await client.StartBatchAsync("iris", """{"dataset": "flowers"}""");
            ids.Add(started.GetProperty("id").GetString()!);
        }

        var pages = new List<JsonElement>();
        var query = "api/pipelines?name=BatchScoringOrchestration&pageSize=2";
        while (true)
        {
            var page = JsonDocument.Parse(await client.GetStringAsync(new Uri(query, UriKind.Relative))).RootElement;
            pages.Add(page);
            if (!page.TryGetProperty("continuationToken", out var token) || token.ValueKind != JsonValueKind.String)
            {
                break;
            }

            query = $"api/pipelines?name=BatchScoringOrchestration&pageSize=2&continuationToken={Uri.EscapeDataString(token.GetString()!)}";
        }

        var none = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/pipelines?name=NoSuchOrchestration&pageSize=1", UriKind.Relative))).RootElement;

        // Each engine page of one instance holds no match for the unknown name: the listing reads on instead of answering an empty page with a token.
        Assert.Equal(2, pages[0].GetProperty("items").GetArrayLength());
        Assert.Equal(ids.Order(), pages.SelectMany(p => p.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("instanceId").GetString()!).Order());
        Assert.Empty(none.GetProperty("items").EnumerateArray());
        Assert.False(none.TryGetProperty("continuationToken", out var more) && more.ValueKind == JsonValueKind.String, none.ToString());
    }

    [Fact]
    public async Task An_event_for_a_finished_pipeline_is_a_409_like_terminate()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        await IrisData.SeedAsync(client, 150);
        var (_, started, _) = await client.StartBatchAsync("iris", """{"dataset": "flowers"}""");
        var id = started.GetProperty("id").GetString()!;
        Assert.Equal("Completed", (await client.WaitForEndAsync(id, TimeSpan.FromSeconds(90))).GetProperty("runtimeStatus").GetString());

        using var body = new StringContent("""{"by": "ada"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"api/pipelines/{id}/events/Approve", UriKind.Relative), body);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://flywheel.dev/problems/not-running", problem.GetProperty("type").GetString());
        Assert.Contains("Completed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(new Uri("api/pipelines/nope/events/Approve", UriKind.Relative), null)).StatusCode);
    }

    private sealed class IrisRow
    {
#pragma warning disable IDE1006, CA1707 // The Parquet column names are the dataset's.
        public double sepal_length { get; set; }

        public double sepal_width { get; set; }

        public double petal_length { get; set; }

        public double petal_width { get; set; }
#pragma warning restore IDE1006, CA1707
    }
}
