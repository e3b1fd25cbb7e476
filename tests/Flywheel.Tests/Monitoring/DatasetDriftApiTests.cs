using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Datasets;

namespace Flywheel.Tests.Monitoring;

/// <summary><c>GET api/datasets/{name}/drift</c> on real versions: Evidently's default method per column, verdicts, the dataset verdict, and bad queries.</summary>
public sealed class DatasetDriftApiTests
{
    private static async Task<JsonElement> DriftAsync(HttpClient client, string query, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(new Uri($"api/datasets/{query}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{query}: {response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Titanic's rows as version 1, and again with one new third-class passenger as version 2.</summary>
    private static async Task VoyageAsync(HttpClient client)
    {
        var titanic = File.ReadAllBytes(DatasetFiles.Titanic);
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "voyage", titanic, "titanic.csv")).Status);
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "voyage", [.. titanic, .. Encoding.UTF8.GetBytes("3,0,\"Doe, Mr. John\",male,30,0,0,1,8.05,,S,,,\n")], "titanic2.csv")).Status);
    }

    private static JsonElement Column(JsonElement report, string name) =>
        report.GetProperty("columnResults").EnumerateArray().Single(c => c.GetProperty("column").GetString() == name);

    [Fact]
    public async Task A_large_reference_gets_wasserstein_and_jensen_shannon_and_a_shifted_column_drifts()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var lines = File.ReadAllLines(DatasetFiles.Adult);
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "census", File.ReadAllBytes(DatasetFiles.Adult), "adult.csv")).Status);
        // The first 3,000 rows again, everyone ten years older.
        var header = lines[0].Split(',');
        var age = Array.IndexOf(header, "age");
        var older = new StringBuilder(lines[0]).Append('\n');
        foreach (var line in lines.Skip(1).Take(3_000))
        {
            var cells = line.Split(',');
            cells[age] = (int.Parse(cells[age], CultureInfo.InvariantCulture) + 10).ToString(CultureInfo.InvariantCulture);
            older.Append(string.Join(',', cells)).Append('\n');
        }

        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "census", Encoding.UTF8.GetBytes(older.ToString()), "older.csv")).Status);

        var report = await DriftAsync(client, "census/drift?reference=1&current=2");

        Assert.Equal(32_561, report.GetProperty("reference").GetProperty("rows").GetInt64());
        Assert.Equal(3_000, report.GetProperty("current").GetProperty("rows").GetInt64());
        var ageDrift = Column(report, "age");
        Assert.Equal("wasserstein", ageDrift.GetProperty("method").GetString());
        Assert.True(ageDrift.GetProperty("drifted").GetBoolean());
        Assert.InRange(ageDrift.GetProperty("score").GetDouble(), 0.6, 0.8);
        Assert.Equal("age", report.GetProperty("columnResults")[0].GetProperty("column").GetString());
        var workclass = Column(report, "workclass");
        Assert.Equal("jensenshannon", workclass.GetProperty("method").GetString());
        Assert.False(workclass.GetProperty("drifted").GetBoolean());
        Assert.Equal(0.1, workclass.GetProperty("threshold").GetDouble());
        Assert.Equal(15, report.GetProperty("columns").GetInt32());
        Assert.False(report.GetProperty("datasetDrift").GetBoolean());

        var psi = await DriftAsync(client, "census/drift?reference=1&current=latest&method=psi");
        Assert.All(psi.GetProperty("columnResults").EnumerateArray(), c => Assert.Equal("psi", c.GetProperty("method").GetString()));
        Assert.True(Column(psi, "age").GetProperty("drifted").GetBoolean());
    }

    [Fact]
    public async Task A_small_reference_gets_ks_chi_square_and_the_z_test_and_values_unseen_in_the_reference_drift()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await VoyageAsync(client);

        var report = await DriftAsync(client, "voyage/drift?reference=1");

        Assert.Equal(2, report.GetProperty("current").GetProperty("version").GetInt32());
        Assert.Equal("ks", Column(report, "age").GetProperty("method").GetString());
        Assert.Equal("chisquare", Column(report, "sibsp").GetProperty("method").GetString());
        Assert.Equal("z", Column(report, "embarked").GetProperty("method").GetString());
        Assert.Equal("z", Column(report, "sex").GetProperty("method").GetString());
        Assert.False(Column(report, "age").GetProperty("drifted").GetBoolean());
        // The new passenger's name and ticket are values the reference never had: the chi-square test expects none of them, so p is 0.
        Assert.Equal(["name", "ticket"], report.GetProperty("columnResults").EnumerateArray().Where(c => c.GetProperty("drifted").GetBoolean()).Select(c => c.GetProperty("column").GetString()).Order());
        Assert.Equal(0, Column(report, "name").GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Parquet_versions_compare_like_csv_ones()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        static byte[] ParquetFile(double shift)
        {
            var random = new Random(5);
            var rows = Enumerable.Range(0, 600).Select(i => new Flywheel.Tests.Datasets.ParquetIngestTests.Row
            {
                Id = i, Score = Math.Round((random.NextDouble() * 10) + shift, 3), Label = $"l{i % 4}", Active = i % 3 == 0, Weight = i % 10 == 0 ? null : i,
            }).ToList();
            using var stream = new MemoryStream();
            global::Parquet.Serialization.ParquetSerializer.SerializeAsync(rows, stream).GetAwaiter().GetResult();
            return stream.ToArray();
        }

        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "scores", ParquetFile(0), "a.parquet")).Status);
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "scores", ParquetFile(3), "b.parquet")).Status);

        var report = await DriftAsync(client, "scores/drift?reference=1&current=2");

        Assert.Equal("ks", Column(report, "Score").GetProperty("method").GetString());
        Assert.True(Column(report, "Score").GetProperty("drifted").GetBoolean());
        Assert.Equal("chisquare", Column(report, "Label").GetProperty("method").GetString());
        Assert.False(Column(report, "Label").GetProperty("drifted").GetBoolean());
        Assert.Equal("z", Column(report, "Active").GetProperty("method").GetString());
        Assert.Equal(540, Column(report, "Weight").GetProperty("referenceRows").GetInt64());
    }

    [Fact]
    public async Task A_file_larger_than_the_store_limit_gets_its_columns_at_its_first_comparison()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Datasets:ColumnStoreMaxFileBytes"] = "1000" });
        using var client = app.CreateClient();
        await VoyageAsync(client);
        var container = await app.Storage.ContainerAsync(Flywheel.Storage.StorageNames.DatasetsContainer, CancellationToken.None);
        async Task<int> ColumnBlobsAsync()
        {
            var count = 0;
            await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "voyage/", CancellationToken.None))
            {
                count += blob.Name.EndsWith(".columns", StringComparison.Ordinal) ? 1 : 0;
            }

            return count;
        }

        Assert.Equal(0, await ColumnBlobsAsync());
        var report = await DriftAsync(client, "voyage/drift?reference=1&current=2");
        Assert.Equal(14, report.GetProperty("columns").GetInt32() + report.GetProperty("skipped").EnumerateObject().Count());
        Assert.Equal(2, await ColumnBlobsAsync());
    }

    [Fact]
    public async Task Versions_are_compared_from_the_columns_stored_at_ingest_and_a_version_without_them_gets_them_from_its_content()
    {
        // No column cache: every comparison reads storage.
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Monitoring:ColumnCacheBytes"] = "0" });
        using var client = app.CreateClient();
        await VoyageAsync(client);
        var stored = await DriftAsync(client, "voyage/drift?reference=1&current=2");
        var container = await app.Storage.ContainerAsync(Flywheel.Storage.StorageNames.DatasetsContainer, CancellationToken.None);
        var contents = new[] { "reference", "current" }.Select(side => Flywheel.Datasets.Versions.DatasetBlobs.ContentPath("voyage", stored.GetProperty(side).GetProperty("sha256").GetString()!)).ToList();
        async Task<List<string>> ColumnBlobsAsync()
        {
            var names = new List<string>();
            await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "voyage/", CancellationToken.None))
            {
                if (blob.Name.EndsWith(".columns", StringComparison.Ordinal))
                {
                    names.Add(blob.Name);
                }
            }

            return names;
        }

        // As a version ingested before columns were stored: compared from its content, and its columns stored then.
        var written = await ColumnBlobsAsync();
        Assert.Equal(2, written.Count);
        foreach (var name in written)
        {
            await container.GetBlobClient(name).DeleteAsync();
        }

        var fromContent = await DriftAsync(client, "voyage/drift?reference=1&current=2");
        Assert.Equal(stored.GetProperty("columnResults").ToString(), fromContent.GetProperty("columnResults").ToString());
        Assert.Equal(written.Order(StringComparer.Ordinal), (await ColumnBlobsAsync()).Order(StringComparer.Ordinal));

        // The content gone: the stored columns alone answer (a version never changes, so they are never stale).
        foreach (var content in contents)
        {
            await container.GetBlobClient(content).DeleteAsync();
        }

        var fromColumns = await DriftAsync(client, "voyage/drift?reference=1&current=2");
        Assert.Equal(stored.GetProperty("columnResults").ToString(), fromColumns.GetProperty("columnResults").ToString());
    }

    [Fact]
    public async Task The_html_report_renders_in_chromium_with_every_compared_column()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await VoyageAsync(client);
        var report = await DriftAsync(client, "voyage/drift?reference=1");
        using var response = await client.GetAsync(new Uri("api/datasets/voyage/drift?reference=1&format=html", UriKind.Relative));
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);

        var dom = await ExternalTools.RenderAsync(await response.Content.ReadAsStringAsync(), "dataset-drift-report");

        Assert.DoesNotMatch("CONSOLE\\(\\d+\\)|Uncaught|Failed to load resource", dom);
        Assert.Contains("id=\"verdict\"", dom, StringComparison.Ordinal);
        foreach (var column in report.GetProperty("columnResults").EnumerateArray().Select(c => c.GetProperty("column").GetString()!))
        {
            Assert.Contains($"<tr data-column=\"{System.Net.WebUtility.HtmlEncode(column)}\">", dom, StringComparison.Ordinal);
            Assert.Contains($"<figure data-column=\"{System.Net.WebUtility.HtmlEncode(column)}\">", dom, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bad_drift_queries_are_4xx_naming_the_problem()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "voyage", File.ReadAllBytes(DatasetFiles.Titanic), "titanic.csv")).Status);

        Assert.Contains("reference is required", (await DriftAsync(client, "voyage/drift", HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("'two'", (await DriftAsync(client, "voyage/drift?reference=two", HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("'magic'", (await DriftAsync(client, "voyage/drift?reference=1&method=magic", HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("threshold", (await DriftAsync(client, "voyage/drift?reference=1&threshold=-1", HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("categorical", (await DriftAsync(client, "voyage/drift?reference=1&method=ks", HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("format", (await DriftAsync(client, "voyage/drift?reference=1&format=pdf", HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await DriftAsync(client, "voyage/drift?reference=7", HttpStatusCode.NotFound);
        await DriftAsync(client, "nowhere/drift?reference=1", HttpStatusCode.NotFound);
    }
}
