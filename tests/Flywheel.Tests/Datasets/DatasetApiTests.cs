using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Flywheel.Storage;

namespace Flywheel.Tests.Datasets;

public sealed class DatasetApiTests
{
    [Fact]
    public async Task Upload_of_the_Adult_csv_creates_version_1_with_schema_and_profile()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await PutFileAsync(client, "adult", DatasetFiles.Adult);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal(32561, body.GetProperty("rows").GetInt64());
        Assert.Equal(15, body.GetProperty("columns").GetArrayLength());
        Assert.Matches("^[0-9a-f]{64}$", body.GetProperty("sha256").GetString());
        Assert.Equal(new FileInfo(DatasetFiles.Adult).Length, body.GetProperty("sizeBytes").GetInt64());
        var profile = body.GetProperty("profile");
        var age = profile.GetProperty("age");
        Assert.Equal("integer", age.GetProperty("type").GetString());
        Assert.Equal(38.5816, age.GetProperty("mean").GetDouble(), 3);
        Assert.Equal(13.6404, age.GetProperty("std").GetDouble(), 3);
        Assert.Equal(17, age.GetProperty("min").GetDouble());
        Assert.Equal(90, age.GetProperty("max").GetDouble());
        Assert.Equal(37, age.GetProperty("quantiles").GetProperty("0.5").GetDouble());
        Assert.Equal(32561, age.GetProperty("histogram").GetProperty("counts").EnumerateArray().Sum(c => c.GetInt64()));
        // The Adult file writes "?" for missing and puts a space after each comma.
        var workclass = profile.GetProperty("workclass");
        Assert.Equal("string", workclass.GetProperty("type").GetString());
        Assert.Equal(1836, workclass.GetProperty("missing").GetInt64());
        Assert.True(workclass.GetProperty("categorical").GetBoolean());
        Assert.Equal("Private", workclass.GetProperty("top")[0].GetProperty("value").GetString());
        Assert.Equal(22696, workclass.GetProperty("top")[0].GetProperty("count").GetInt64());
        Assert.Equal(2, profile.GetProperty("income").GetProperty("distinct").GetInt64());
    }

    [Fact]
    public async Task Upload_of_identical_content_returns_existing_version()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var first = await PutAsync(client, "iris", File.ReadAllBytes(DatasetFiles.Iris), "iris.csv");

        var again = await PutAsync(client, "iris", File.ReadAllBytes(DatasetFiles.Iris), "renamed.csv");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(1, again.Body.GetProperty("version").GetInt32());
        Assert.Equal("iris.csv", again.Body.GetProperty("source").GetString());
        var versions = await GetJsonAsync(client, "api/datasets/iris/versions");
        Assert.Equal(1, versions.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Concurrent_uploads_of_different_files_get_gapless_versions()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        const int uploads = 8;

        var results = await Task.WhenAll(Enumerable.Range(0, uploads)
            .Select(i => PutAsync(client, "concurrent", Encoding.UTF8.GetBytes($"id,value\n{i},{i * 10}\n"), $"f{i}.csv")));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Created, r.Status));
        Assert.Equal(Enumerable.Range(1, uploads), results.Select(r => r.Body.GetProperty("version").GetInt32()).Order());
        Assert.Equal(uploads, results.Select(r => r.Body.GetProperty("sha256").GetString()).Distinct().Count());
        var latest = await GetJsonAsync(client, "api/datasets/concurrent/versions/latest");
        Assert.Equal(uploads, latest.GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a,b,a\n1,2,3\n", "duplicate-column-name")]
    [InlineData("a,,c\n1,2,3\n", "blank-column-name")]
    [InlineData("a,b\n1,2\n3,4,5\n6,7\n", "ragged-row")]
    [InlineData("a,b\n1,\"unterminated\n2,3\n", "unterminated-quote")]
    public async Task Unreadable_file_is_quarantined_with_a_report_and_nothing_is_versioned(string content, string kind)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await PutAsync(client, "broken", Encoding.UTF8.GetBytes(content), "bad.csv");

        AssertRejected(status, body, kind);
        var quarantine = await GetJsonAsync(client, "api/datasets/broken/quarantine");
        var report = Assert.Single(quarantine.GetProperty("items").EnumerateArray());
        Assert.Equal(kind, report.GetProperty("problems")[0].GetProperty("kind").GetString());
        Assert.EndsWith("/bad.csv", report.GetProperty("originalPath").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("api/datasets/broken/versions", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Ragged_row_report_names_its_line_and_row()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (_, body) = await PutAsync(client, "ragged", Encoding.UTF8.GetBytes("a,b\n1,2\n\"x\ny\",2\n3,4,5\n"), "r.csv");

        var example = body.GetProperty("report").GetProperty("problems")[0].GetProperty("examples")[0];
        Assert.Equal(5, example.GetProperty("line").GetInt64());
        Assert.Equal(3, example.GetProperty("row").GetInt64());
    }

    [Fact]
    public async Task Invalid_utf8_and_binary_files_are_quarantined()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var latin1 = await PutAsync(client, "encodings", [.. "name,city\n1,"u8.ToArray(), 0xE9, .. "t\xe9\n"u8.ToArray()], "latin1.csv");
        var binary = await PutAsync(client, "encodings", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "image.png");

        AssertRejected(latin1.Status, latin1.Body, "not-utf8");
        AssertRejected(binary.Status, binary.Body, "binary");
    }

    [Fact]
    public async Task Contract_violations_are_quarantined_with_examples_and_earlier_versions_stay()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(client, "people", Encoding.UTF8.GetBytes("age,sex\n30,m\n40,f\n"), "ok.csv")).Status);
        using var contract = new StringContent("""
            {"columns":{"age":{"type":"integer","nullable":false,"min":0,"max":120},"sex":{"allowed":["m","f"]},"income":{}},"minRows":2}
            """, Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync(new Uri("api/datasets/people/contract", UriKind.Relative), contract)).StatusCode);

        var (status, body) = await PutAsync(client, "people", Encoding.UTF8.GetBytes("age,sex\n30,m\n-4,x\nNA,f\nabc,m\n"), "bad.csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var kinds = body.GetProperty("report").GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("kind").GetString()).ToList();
        Assert.Contains("missing-column", kinds);
        Assert.Contains("out-of-range", kinds);
        Assert.Contains("not-allowed", kinds);
        Assert.Contains("null-value", kinds);
        Assert.Contains("type-mismatch", kinds);
        var range = body.GetProperty("report").GetProperty("problems").EnumerateArray().First(p => p.GetProperty("kind").GetString() == "out-of-range");
        Assert.Equal("-4", range.GetProperty("examples")[0].GetProperty("value").GetString());
        Assert.Equal(2, range.GetProperty("examples")[0].GetProperty("row").GetInt64());
        var latest = await GetJsonAsync(client, "api/datasets/people/versions/latest");
        Assert.Equal(1, latest.GetProperty("version").GetInt32());
        Assert.Equal(2, latest.GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Contract_round_trips_and_an_invalid_one_is_refused()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        using var good = new StringContent("""{"columns":{"x":{"type":"float"}},"maxMissingRate":0.1,"missingMarkers":["", "-"]}""", Encoding.UTF8, "application/json");
        using var bad = new StringContent("""{"columns":{"x":{"type":"complex"}}}""", Encoding.UTF8, "application/json");
        await PutAsync(client, "contracted", Encoding.UTF8.GetBytes("x\n1.5\n"), "x.csv");

        var put = await client.PutAsync(new Uri("api/datasets/contracted/contract", UriKind.Relative), good);
        var refused = await client.PutAsync(new Uri("api/datasets/contracted/contract", UriKind.Relative), bad);
        var read = await GetJsonAsync(client, "api/datasets/contracted/contract");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("float", read.GetProperty("columns").GetProperty("x").GetProperty("type").GetString());
        Assert.Equal(0.1, read.GetProperty("maxMissingRate").GetDouble());
    }

    [Fact]
    public async Task Schema_change_without_a_contract_is_recorded_as_a_warning()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await PutAsync(client, "evolving", Encoding.UTF8.GetBytes("a,b\n1,x\n2,y\n"), "v1.csv");

        var (status, body) = await PutAsync(client, "evolving", Encoding.UTF8.GetBytes("a,c\n1.5,3\n2.5,4\n"), "v2.csv");

        Assert.Equal(HttpStatusCode.Created, status);
        var warnings = body.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).ToList();
        Assert.Contains("column 'c' added (integer)", warnings);
        Assert.Contains("column 'b' removed", warnings);
        Assert.Contains("column 'a' retyped from integer to float", warnings);
        Assert.Equal(1, body.GetProperty("previousVersion").GetInt32());
    }

    [Theory]
    [InlineData("Ab")]
    [InlineData("UPPER")]
    [InlineData("under_score")]
    public async Task Invalid_dataset_name_is_a_400_problem(string name)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await PutAsync(client, name, Encoding.UTF8.GetBytes("a\n1\n"), "x.csv");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("lowercase", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_over_the_size_limit_is_a_413_and_stores_nothing()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Datasets:MaxUploadBytes"] = "1000" });
        using var client = app.CreateClient();
        var big = Encoding.UTF8.GetBytes("a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 1000)));

        var (status, _) = await PutAsync(client, "limited", big, "big.csv");
        var streamed = await client.PutAsync(new Uri("api/datasets/limited", UriKind.Relative), new PushContent(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("api/datasets/limited/versions", UriKind.Relative))).StatusCode);
        var datasets = app.Storage.Container(StorageNames.DatasetsContainer);
        Assert.True(!await datasets.ExistsAsync() || await CountAsync(datasets) == 0, "nothing should be stored");
    }

    [Fact]
    public async Task Content_streams_the_original_bytes_with_the_sha256_as_etag()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var bytes = File.ReadAllBytes(DatasetFiles.Titanic);
        var (_, version) = await PutAsync(client, "titanic", bytes, "titanic.csv");
        var sha = version.GetProperty("sha256").GetString();

        using var response = await client.GetAsync(new Uri("api/datasets/titanic/versions/1/content", UriKind.Relative));
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "api/datasets/titanic/versions/latest/content");
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{sha}\""));
        using var notModified = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{sha}\"", response.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("api/datasets/titanic/versions/9/content", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Diff_reports_row_change_statistics_and_psi()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var rows = Enumerable.Range(0, 500).Select(i => $"{i % 50},{(i % 2 == 0 ? "a" : "b")}");
        var shifted = Enumerable.Range(0, 600).Select(i => $"{(i % 50) + 40},{(i % 5 == 0 ? "a" : "b")}");
        await PutAsync(client, "shifting", Encoding.UTF8.GetBytes("x,k\n" + string.Join('\n', rows)), "a.csv");
        await PutAsync(client, "shifting", Encoding.UTF8.GetBytes("x,k\n" + string.Join('\n', shifted)), "b.csv");
        await PutAsync(client, "shifting", Encoding.UTF8.GetBytes("x,k\n" + string.Join('\n', rows) + "\n"), "c.csv");

        var diff = await GetJsonAsync(client, "api/datasets/shifting/diff?from=1&to=2");
        var same = await GetJsonAsync(client, "api/datasets/shifting/diff?from=1&to=3");

        Assert.Equal(100, diff.GetProperty("rows").GetProperty("delta").GetDouble());
        Assert.Equal(40, diff.GetProperty("columns").GetProperty("x").GetProperty("statistics").GetProperty("mean").GetProperty("delta").GetDouble(), 6);
        Assert.True(diff.GetProperty("columns").GetProperty("x").GetProperty("psi").GetDouble() > 1);
        Assert.True(diff.GetProperty("columns").GetProperty("k").GetProperty("drifted").GetBoolean());
        Assert.True(same.GetProperty("columns").GetProperty("x").GetProperty("psi").GetDouble() < 0.01);
        Assert.False(same.GetProperty("columns").GetProperty("k").GetProperty("drifted").GetBoolean());
    }

    [Fact]
    public async Task A_dataset_that_does_not_exist_is_404_on_its_versions_and_quarantine()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await PutAsync(client, "exists", "a\n1\n"u8.ToArray(), "a.csv");

        using var versions = await client.GetAsync(new Uri("api/datasets/nosuch/versions", UriKind.Relative));
        using var quarantine = await client.GetAsync(new Uri("api/datasets/nosuch/quarantine", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, versions.StatusCode);
        Assert.Equal("application/problem+json", versions.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'nosuch'", await versions.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, quarantine.StatusCode);
        // A dataset that exists but never had a file rejected has an empty quarantine.
        Assert.Equal(0, (await GetJsonAsync(client, "api/datasets/exists/quarantine")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Get_dataset_answers_its_summary_and_404_for_one_that_does_not_exist()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await PutAsync(client, "summed", "a,b\n1,x\n"u8.ToArray(), "one.csv");
        await PutAsync(client, "summed", "a,b\n1,x\n2,y\n"u8.ToArray(), "two.csv");

        var before = await GetJsonAsync(client, "api/datasets/summed");
        Assert.Equal(HttpStatusCode.OK, (await DatasetHardeningTests.PutJsonAsync(client, "api/datasets/summed/contract", "{\"minRows\": 1}")).Status);
        var after = await GetJsonAsync(client, "api/datasets/summed");
        using var missing = await client.GetAsync(new Uri("api/datasets/nosuch", UriKind.Relative));

        Assert.Equal("summed", before.GetProperty("name").GetString());
        Assert.Equal(2, before.GetProperty("latestVersion").GetInt32());
        Assert.Equal(2, before.GetProperty("versionCount").GetInt32());
        var latest = before.GetProperty("latest");
        Assert.Equal(2, latest.GetProperty("version").GetInt32());
        Assert.Equal(2, latest.GetProperty("rows").GetInt64());
        Assert.Equal("two.csv", latest.GetProperty("source").GetString());
        Assert.False(latest.TryGetProperty("profile", out _));
        Assert.False(before.GetProperty("hasContract").GetBoolean());
        Assert.True(after.GetProperty("hasContract").GetBoolean());
        var links = before.GetProperty("links");
        Assert.Equal("api/datasets/summed/versions", links.GetProperty("versions").GetString());
        Assert.Equal("api/datasets/summed/versions/latest", links.GetProperty("latest").GetString());
        Assert.Equal("api/datasets/summed/contract", links.GetProperty("contract").GetString());
        Assert.Equal("api/datasets/summed/quarantine", links.GetProperty("quarantine").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Lists_page_with_a_continuation_token()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await PutAsync(client, "paged", Encoding.UTF8.GetBytes($"a\n{i}\n"), $"{i}.csv");
        }

        var seen = new List<int>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await GetJsonAsync(client, "api/datasets/paged/versions?pageSize=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
            token = page.GetProperty("continuationToken").ValueKind == JsonValueKind.String ? page.GetProperty("continuationToken").GetString() : null;
            pages++;
        }
        while (token is not null);

        Assert.Equal([1, 2, 3, 4, 5], seen);
        Assert.True(pages >= 3);
        var datasets = await GetJsonAsync(client, "api/datasets");
        Assert.Equal("paged", Assert.Single(datasets.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Drop_in_landing_becomes_a_version_and_leaves_landing()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var landing = app.Storage.Container(StorageNames.LandingContainer);
        await landing.CreateIfNotExistsAsync();

        await landing.GetBlobClient("bikes/hour_train.csv").UploadAsync(BinaryData.FromBytes(File.ReadAllBytes(DatasetFiles.Shared("bike_sharing_hourly/hour_train.csv"))));
        await landing.GetBlobClient("bikes/broken.csv").UploadAsync(BinaryData.FromString("a,b\n1,2,3\n"));

        var version = await EventuallyAsync(async () => (await client.GetAsync(new Uri("api/datasets/bikes/versions/1", UriKind.Relative))).StatusCode == HttpStatusCode.OK
            ? await GetJsonAsync(client, "api/datasets/bikes/versions/1")
            : (JsonElement?)null);
        Assert.Equal("landing/bikes/hour_train.csv", version.GetProperty("source").GetString());
        Assert.Equal("datetime", version.GetProperty("profile").GetProperty("dteday").GetProperty("type").GetString());
        await EventuallyAsync(async () => await CountAsync(landing) == 0 ? true : (bool?)null);
        var quarantine = await GetJsonAsync(client, "api/datasets/bikes/quarantine");
        Assert.Equal("landing/bikes/broken.csv", Assert.Single(quarantine.GetProperty("items").EnumerateArray()).GetProperty("source").GetString());
    }

    [Fact]
    public async Task Version_created_and_rejected_events_are_posted_to_the_configured_webhook()
    {
        var port = Testing.FreePort.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/events/");
        listener.Start();
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Events:Webhook"] = $"http://127.0.0.1:{port}/events/" });
        using var client = app.CreateClient();
        var received = new List<JsonElement>();
        var receiving = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                var context = await listener.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream);
                received.Add(JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone());
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        await PutAsync(client, "evented", Encoding.UTF8.GetBytes("a\n1\n"), "ok.csv");
        await PutAsync(client, "evented", Encoding.UTF8.GetBytes("a,a\n1,2\n"), "bad.csv");
        await receiving.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("Flywheel.DatasetVersionCreated", received[0].GetProperty("type").GetString());
        Assert.Equal("datasets/evented/versions/1", received[0].GetProperty("subject").GetString());
        Assert.Equal(1, received[0].GetProperty("data").GetProperty("version").GetInt32());
        Assert.Equal("Flywheel.DatasetRejected", received[1].GetProperty("type").GetString());
        Assert.Equal("1.0", received[1].GetProperty("specversion").GetString());
    }

    private static void AssertRejected(HttpStatusCode status, JsonElement body, string kind)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("https://flywheel.dev/problems/dataset-rejected", body.GetProperty("type").GetString());
        Assert.Equal(kind, body.GetProperty("report").GetProperty("problems")[0].GetProperty("kind").GetString());
    }

    internal static async Task<int> CountAsync(BlobContainerClient container)
    {
        var count = 0;
        await foreach (var _ in container.GetBlobsAsync())
        {
            count++;
        }

        return count;
    }

    internal static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
        where T : struct
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the landing watcher");
            await Task.Delay(100);
        }
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> PutFileAsync(HttpClient client, string name, string path) =>
        PutAsync(client, name, File.ReadAllBytes(path), Path.GetFileName(path));

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> PutAsync(HttpClient client, string name, byte[] content, string fileName)
    {
        using var body = new ByteArrayContent(content);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/datasets/{name}") { Content = body };
        request.Headers.Add("X-File-Name", fileName);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(string.IsNullOrEmpty(text) ? "{}" : text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    internal static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>A body without Content-Length, so the limit must be enforced while streaming.</summary>
    private sealed class PushContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
