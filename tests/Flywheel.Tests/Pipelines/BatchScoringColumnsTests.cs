using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Pipelines;

/// <summary>
/// Batch scoring of a model whose one [rows, features] input has no registered feature names: the
/// dataset's column order never decides what feeds it. Without a <c>columns</c> list naming them the
/// request is a 422 at the start; with one, rows score as predict scores them.
/// </summary>
public sealed class BatchScoringColumnsTests
{
    private static readonly Dictionary<string, string?> s_engineOn = new() { ["Flywheel:LocalEngine:Enabled"] = "true" };

    [Theory]
    [InlineData("petal_width,petal_length,sepal_width,sepal_length")]
    [InlineData("sepal_length,sepal_width,petal_length,petal_width")]
    [InlineData("sepal_length,sepal_width,petal_length,petal_width,species")]
    public async Task Batch_scoring_a_model_without_feature_names_and_no_columns_is_a_422_that_starts_nothing(string header)
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "nameless-batch", ModelFiles.IrisZipMap);
        await UploadAsync(client, "flowers-nameless", header, 150);

        var (status, problem, _) = await client.StartBatchAsync("nameless-batch", """{"dataset": "flowers-nameless"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.EndsWith("/missing-feature-names", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"columns\"", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("featureNames", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var listing = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/pipelines", UriKind.Relative))).RootElement;
        Assert.Equal(0, listing.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("""["sepal_length","sepal_width","petal_length"]""", HttpStatusCode.UnprocessableEntity, "the request's columns list 3")]
    [InlineData("""["sepal_length","sepal_width","petal_length","petal_width","petal_width"]""", HttpStatusCode.BadRequest, "'petal_width' more than once")]
    [InlineData("""["sepal_length","sepal_width","petal_length","stem"]""", HttpStatusCode.UnprocessableEntity, "lacks column(s) 'stem'")]
    public async Task Batch_columns_that_cannot_feed_the_input_are_a_4xx_at_the_start(string columns, HttpStatusCode expected, string detail)
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "nameless-batch-bad", ModelFiles.IrisZipMap);
        await UploadAsync(client, "flowers-bad-columns", "petal_width,petal_length,sepal_width,sepal_length", 150);

        var (status, problem, _) = await client.StartBatchAsync("nameless-batch-bad", $$"""{"dataset": "flowers-bad-columns", "columns": {{columns}}}""");

        Assert.Equal(expected, status);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("petal_width,petal_length,sepal_width,sepal_length")]
    [InlineData("species,sepal_width,sepal_length,petal_width,petal_length")]
    public async Task Batch_scoring_with_columns_feeds_them_in_the_listed_order_and_matches_predict(string header)
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "nameless-batch-columns", ModelFiles.IrisZipMap);
        var rows = await UploadAsync(client, "flowers-columns", header, 150);

        var (status, started, _) = await client.StartBatchAsync("nameless-batch-columns",
            """{"dataset": "flowers-columns", "columns": ["sepal_length","sepal_width","petal_length","petal_width"]}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var end = await client.WaitForEndAsync(started.GetProperty("id").GetString()!, TimeSpan.FromSeconds(90));

        Assert.Equal("Completed", end.GetProperty("runtimeStatus").GetString());
        var lines = (await client.GetStringAsync(new Uri(end.GetProperty("output").GetProperty("contentUrl").GetString()!, UriKind.Relative))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(151, lines.Length);
        // predict, positionally in the model's own order, gives every row the label the batch wrote.
        using var body = new StringContent(JsonSerializer.Serialize(new { instances = rows }), Encoding.UTF8, "application/json");
        using var answer = await client.PostAsync(new Uri("api/models/nameless-batch-columns/predict", UriKind.Relative), body);
        var predictions = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions");
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(predictions[i].GetProperty("label").GetInt64().ToString(CultureInfo.InvariantCulture), lines[i + 1].Split(',')[2]);
        }

        Assert.Contains(lines.Skip(1), l => l.Split(',')[2] == "0");
        Assert.Contains(lines.Skip(1), l => l.Split(',')[2] == "2");
    }

    /// <summary>Uploads iris rows under <paramref name="header"/> (the iris columns in any order, species optional); returns each row's features in the model's order.</summary>
    private static async Task<List<double[]>> UploadAsync(HttpClient client, string dataset, string header, int count)
    {
        var source = IrisData.Csv(count).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var order = header.Split(',');
        string[] known = [.. IrisData.Features, "species"];
        var csv = new StringBuilder(header).Append('\n');
        foreach (var cells in source)
        {
            csv.AppendJoin(',', order.Select(column => cells[Array.IndexOf(known, column)])).Append('\n');
        }

        using (var content = Datasets.DatasetFiles.Csv(csv.ToString()))
        {
            using var response = await client.PutAsync(new Uri($"api/datasets/{dataset}", UriKind.Relative), content);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        return [.. source.Select(cells => cells.Take(4).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray())];
    }
}
