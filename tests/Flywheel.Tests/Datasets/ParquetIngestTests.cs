using System.Globalization;
using System.Net;
using System.Text;
using Parquet.Serialization;

namespace Flywheel.Tests.Datasets;

public sealed class ParquetIngestTests
{
    [Fact]
    public async Task Nested_parquet_columns_are_rejected_naming_each_one_and_nothing_is_versioned()
    {
        var rows = Enumerable.Range(0, 5).Select(i => new NestedRow
        {
            Id = i,
            Scores = [i, i + 1],
            Address = new Address { City = "Paris", Zip = 75000 + i },
            Attributes = new Dictionary<string, string> { ["k"] = "v" },
        }).ToList();
        using var parquet = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, parquet);
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await DatasetApiTests.PutAsync(client, "nested", parquet.ToArray(), "nested.parquet");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var problems = body.GetProperty("report").GetProperty("problems").EnumerateArray().ToList();
        Assert.All(problems, p => Assert.Equal("nested-column", p.GetProperty("kind").GetString()));
        Assert.Equal(["Address", "Attributes", "Scores"], problems.Select(p => p.GetProperty("column").GetString()).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("api/datasets/nested/versions/latest", UriKind.Relative))).StatusCode);
    }

    public sealed class NestedRow
    {
        public int Id { get; set; }

        public List<int> Scores { get; set; } = [];

        public Address Address { get; set; } = new();

        public Dictionary<string, string> Attributes { get; set; } = [];
    }

    public sealed class Address
    {
        public string City { get; set; } = string.Empty;

        public int Zip { get; set; }
    }

    [Fact]
    public async Task Parquet_file_gets_the_same_schema_and_profile_as_the_same_data_in_csv()
    {
        var rows = Enumerable.Range(0, 300).Select(i => new Row
        {
            Id = i,
            Score = Math.Round(i * 0.37, 4),
            Label = i % 3 == 0 ? "red" : "blue",
            Active = i % 2 == 0,
            Weight = i % 10 == 0 ? null : i / 4.0,
        }).ToList();
        using var parquet = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, parquet);
        var csv = new StringBuilder("Id,Score,Label,Active,Weight\n");
        foreach (var r in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.Id},{r.Score.ToString("R", CultureInfo.InvariantCulture)},{r.Label},{(r.Active ? "true" : "false")},{r.Weight?.ToString("R", CultureInfo.InvariantCulture)}\n");
        }

        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var fromParquet = await DatasetApiTests.PutAsync(client, "as-parquet", parquet.ToArray(), "rows.parquet");
        var fromCsv = await DatasetApiTests.PutAsync(client, "as-csv", Encoding.UTF8.GetBytes(csv.ToString()), "rows.csv");

        Assert.Equal(HttpStatusCode.Created, fromParquet.Status);
        Assert.Equal("parquet", fromParquet.Body.GetProperty("format").GetString());
        Assert.Equal(300, fromParquet.Body.GetProperty("rows").GetInt64());
        Assert.Equal(fromCsv.Body.GetProperty("schema").GetRawText(), fromParquet.Body.GetProperty("schema").GetRawText());
        foreach (var column in new[] { "Id", "Score", "Label", "Active", "Weight" })
        {
            var a = fromCsv.Body.GetProperty("profile").GetProperty(column);
            var b = fromParquet.Body.GetProperty("profile").GetProperty(column);
            Assert.Equal(a.GetRawText(), b.GetRawText());
        }

        Assert.Equal(30, fromParquet.Body.GetProperty("profile").GetProperty("Weight").GetProperty("missing").GetInt64());
    }

    [Fact]
    public async Task Truncated_parquet_file_is_quarantined()
    {
        using var parquet = new MemoryStream();
        await ParquetSerializer.SerializeAsync(new[] { new Row { Id = 1, Label = "x" } }, parquet);
        var truncated = parquet.ToArray()[..(int)(parquet.Length / 2)];

        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var (status, body) = await DatasetApiTests.PutAsync(client, "bad-parquet", truncated, "cut.parquet");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("unreadable-parquet", body.GetProperty("report").GetProperty("problems")[0].GetProperty("kind").GetString());
    }

    public sealed class Row
    {
        public int Id { get; set; }

        public double Score { get; set; }

        public string Label { get; set; } = "";

        public bool Active { get; set; }

        public double? Weight { get; set; }
    }
}
