using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Flywheel.Storage;
using static Flywheel.Tests.Datasets.DatasetApiTests;

namespace Flywheel.Tests.Datasets;

/// <summary>Files and requests that used to end in a bare 500, a stalled landing container or a silently wrong version.</summary>
public sealed class DatasetHardeningTests
{
    private static byte[] WideCsv(int columns, int rows = 3)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Enumerable.Range(0, columns).Select(i => $"feature_number_{i:D5}")).Append('\n');
        for (var r = 0; r < rows; r++)
        {
            text.AppendJoin(',', Enumerable.Range(0, columns).Select(i => (i + r).ToString(System.Globalization.CultureInfo.InvariantCulture))).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public async Task A_csv_with_10000_columns_becomes_a_version_whose_names_come_from_its_profile()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await PutAsync(client, "wide", WideCsv(10_000), "wide.csv");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(10_000, body.GetProperty("columnCount").GetInt32());
        Assert.Equal(10_000, body.GetProperty("columns").GetArrayLength());
        var listed = Assert.Single((await GetJsonAsync(client, "api/datasets/wide/versions")).GetProperty("items").EnumerateArray());
        Assert.Equal(10_000, listed.GetProperty("columnCount").GetInt32());
        var latest = await GetJsonAsync(client, "api/datasets/wide/versions/latest");
        Assert.Equal("feature_number_09999", latest.GetProperty("columns")[9999].GetString());
    }

    [Fact]
    public async Task Landing_drops_after_a_wide_one_are_ingested_too()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var landing = app.Storage.Container(StorageNames.LandingContainer);
        await landing.CreateIfNotExistsAsync();

        await landing.GetBlobClient("drops/wide.csv").UploadAsync(BinaryData.FromBytes(WideCsv(10_000)));
        await landing.GetBlobClient("drops/zzz-after.csv").UploadAsync(BinaryData.FromString("a,b\n1,2\n"));

        await EventuallyAsync(async () => (await client.GetAsync(new Uri("api/datasets/drops/versions/2", UriKind.Relative))).StatusCode == HttpStatusCode.OK ? true : (bool?)null);
        await EventuallyAsync(async () => await CountAsync(landing) == 0 ? true : (bool?)null);
    }

    [Fact]
    public async Task A_landing_drop_that_ingestion_fails_on_is_quarantined_and_later_drops_still_land()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var landing = app.Storage.Container(StorageNames.LandingContainer);
        await landing.CreateIfNotExistsAsync();
        // A contract blob that is not a contract (damaged by hand) makes every ingest of this dataset fail.
        var datasets = await app.Storage.ContainerAsync(StorageNames.DatasetsContainer, CancellationToken.None);
        await datasets.GetBlobClient("broken/contract.json").UploadAsync(BinaryData.FromString("{not json"));

        await landing.GetBlobClient("broken/a.csv").UploadAsync(BinaryData.FromString("a,b\n1,2\n"));
        await landing.GetBlobClient("fine/b.csv").UploadAsync(BinaryData.FromString("a,b\n1,2\n"));

        await EventuallyAsync(async () => (await client.GetAsync(new Uri("api/datasets/fine/versions/1", UriKind.Relative))).StatusCode == HttpStatusCode.OK ? true : (bool?)null);
        var report = await EventuallyAsync(() => OnlyRejectAsync(client, "broken"));
        Assert.Equal("ingest-failed", report.GetProperty("problems")[0].GetProperty("kind").GetString());
        Assert.Equal("landing/broken/a.csv", report.GetProperty("source").GetString());
        await EventuallyAsync(async () => await CountAsync(landing) == 0 ? true : (bool?)null);
    }

    [Fact]
    public async Task A_landing_drop_that_keeps_failing_on_storage_is_quarantined_after_the_attempts_allowed()
    {
        // Blobs answer, tables do not: every ingest fails on storage, while the drop and the quarantine stay reachable.
        var tablesDown = string.Join(';', TestStorage().Split(';').Select(part =>
            part.StartsWith("TableEndpoint=", StringComparison.Ordinal) ? "TableEndpoint=http://127.0.0.1:9/devstoreaccount1" : part));
        await using var app = new FlywheelApp(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = tablesDown,
            ["Flywheel:Storage:MaxRetries"] = "0",
            ["Flywheel:Datasets:LandingMaxAttempts"] = "3",
        });
        using var client = app.CreateClient();
        var landing = app.Storage.Container(StorageNames.LandingContainer);
        await landing.CreateIfNotExistsAsync();

        await landing.GetBlobClient("flaky/a.csv").UploadAsync(BinaryData.FromString("a,b\n1,2\n"));

        var report = await EventuallyAsync(() => OnlyRejectAsync(client, "flaky"));
        var problem = Assert.Single(report.GetProperty("problems").EnumerateArray());
        Assert.Equal("ingest-failed", problem.GetProperty("kind").GetString());
        Assert.Contains("3 attempts", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        await EventuallyAsync(async () => await CountAsync(landing) == 0 ? true : (bool?)null);
    }

    /// <summary>The dataset's one quarantined file once it is listed; until then its quarantine answers 404 (a dataset without versions), or 503 while storage is down.</summary>
    private static async Task<JsonElement?> OnlyRejectAsync(HttpClient client, string name)
    {
        using var response = await client.GetAsync(new Uri($"api/datasets/{name}/quarantine", UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
        return items.GetArrayLength() == 1 ? items[0].Clone() : null;
    }

    private static string TestStorage() =>
        Testing.Azurite.ConnectionString is var configured && configured.Contains("TableEndpoint=", StringComparison.Ordinal)
            ? configured
            : "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
              "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1";

    [Theory]
    [InlineData("a,b\n", "no-rows")]
    [InlineData("a,b\r\n", "no-rows")]
    public async Task A_header_without_rows_is_rejected_unless_the_contract_allows_it(string csv, string kind)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await PutAsync(client, "headers", Encoding.UTF8.GetBytes(csv), "h.csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(kind, Assert.Single(body.GetProperty("report").GetProperty("problems").EnumerateArray()).GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(client, "headers", "a,b\n1,2\n"u8.ToArray(), "first.csv")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PutJsonAsync(client, "api/datasets/headers/contract", """{"minRows": 0}""")).Status);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(client, "headers", Encoding.UTF8.GetBytes(csv), "h.csv")).Status);
    }

    [Fact]
    public async Task A_utf16_file_is_reported_as_utf16_only()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var withBom = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("a,b\n1,2\n")).ToArray();
        var (status, body) = await PutAsync(client, "wide-chars", withBom, "u16.csv");
        var (statusNoBom, bodyNoBom) = await PutAsync(client, "wide-chars", Encoding.BigEndianUnicode.GetBytes("a,b\n1,2\n"), "u16be.csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("utf16", Assert.Single(body.GetProperty("report").GetProperty("problems").EnumerateArray()).GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, statusNoBom);
        Assert.Equal("utf16", Assert.Single(bodyNoBom.GetProperty("report").GetProperty("problems").EnumerateArray()).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_column_name_longer_than_the_limit_is_rejected_naming_the_limit()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await PutAsync(client, "long-names", Encoding.UTF8.GetBytes($"ok,{new string('x', 70_000)}\n1,2\n"), "long.csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var problem = Assert.Single(body.GetProperty("report").GetProperty("problems").EnumerateArray());
        Assert.Equal("column-name-too-long", problem.GetProperty("kind").GetString());
        Assert.Contains("1,024", problem.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_number_beyond_the_float_range_never_becomes_infinity_in_a_profile()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await PutAsync(client, "huge", "x,y\n1e400,1\n2.5,2\n"u8.ToArray(), "huge.csv");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.DoesNotContain("Infinity", body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("string", body.GetProperty("profile").GetProperty("x").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Concurrent_uploads_of_identical_bytes_all_answer_with_the_one_version()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var bytes = File.ReadAllBytes(DatasetFiles.Titanic);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => PutAsync(client, "same", bytes, $"copy{i}.csv")));

        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"{r.Status}: {r.Body}"));
        Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        Assert.All(results, r => Assert.Equal(1, r.Body.GetProperty("version").GetInt32()));
        Assert.Single((await GetJsonAsync(client, "api/datasets/same/versions")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_misspelt_contract_key_is_a_400_naming_it_and_the_contract_in_force_stays()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await PutAsync(client, "guarded", "age\n30\n"u8.ToArray(), "a.csv");
        const string Contract = """{"columns": {"age": {"type": "integer", "min": 0, "max": 120}}, "minRows": 1}""";
        Assert.Equal(HttpStatusCode.OK, (await PutJsonAsync(client, "api/datasets/guarded/contract", Contract)).Status);

        var (status, problem) = await PutJsonAsync(client, "api/datasets/guarded/contract", """{"colums": {"age": {}}, "minRow": 1}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("$.colums: unknown key", problem.GetProperty("detail").GetString());
        Assert.Contains("$.minRow: unknown key", problem.GetProperty("detail").GetString());
        var kept = await GetJsonAsync(client, "api/datasets/guarded/contract");
        Assert.Equal(120, kept.GetProperty("columns").GetProperty("age").GetProperty("max").GetDouble());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PutAsync(client, "guarded", "age\n300\n"u8.ToArray(), "b.csv")).Status);
    }

    [Theory]
    [InlineData("guarded", """{"columns": {"city": {"allowed": []}}}""", "allowed is empty")]
    [InlineData("guarded", """{"columns": {"city": {"type": "string", "min": 1}}}""", "min and max apply to integer and float columns")]
    [InlineData("guarded", """{"columns": {"age": {"type": "decimal"}}}""", "one of \"integer\", \"float\", \"boolean\", \"datetime\", \"string\"")]
    [InlineData("guarded", """{"columns": {"age": {"min": "zero"}}}""", "$.columns.age.min: expected a finite number, got \"zero\"")]
    [InlineData("guarded", """{"columns": null}""", "$.columns: expected an object, got null")]
    [InlineData("nosuchdata", """{"minRows": 1}""", "does not exist")]
    public async Task A_contract_that_contradicts_itself_or_guards_nothing_is_a_400(string dataset, string contract, string expected)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await PutAsync(client, "guarded", "age,city\n30,Paris\n"u8.ToArray(), "a.csv");

        var (status, problem) = await PutJsonAsync(client, $"api/datasets/{dataset}/contract", contract);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"api/datasets/{dataset}/contract", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_contract_with_200000_allowed_values_is_stored_and_enforced()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await PutAsync(client, "codes", "code\nc1\n"u8.ToArray(), "a.csv");
        var allowed = JsonSerializer.Serialize(Enumerable.Range(0, 200_000).Select(i => $"c{i}"));

        var (status, _) = await PutJsonAsync(client, "api/datasets/codes/contract", "{\"columns\": {\"code\": {\"allowed\": " + allowed + "}}}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(200_000, (await GetJsonAsync(client, "api/datasets/codes/contract")).GetProperty("columns").GetProperty("code").GetProperty("allowed").GetArrayLength());
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(client, "codes", "code\nc199999\n"u8.ToArray(), "b.csv")).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PutAsync(client, "codes", "code\nzzz\n"u8.ToArray(), "c.csv")).Status);
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> PutJsonAsync(HttpClient client, string url, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await client.PutAsync(new Uri(url, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(string.IsNullOrEmpty(text) ? "{}" : text);
        return (response.StatusCode, document.RootElement.Clone());
    }
}
