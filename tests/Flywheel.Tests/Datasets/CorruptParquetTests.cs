using System.Net;
using System.Text.Json;
using Parquet.Serialization;

namespace Flywheel.Tests.Datasets;

/// <summary>Parquet files damaged after they were written (magic bytes intact) are refused over HTTP as they are from landing/: a 422 with the report kept in quarantine.</summary>
public sealed class CorruptParquetTests
{
    private static async Task<byte[]> ParquetAsync()
    {
        var rows = Enumerable.Range(0, 500).Select(i => new ParquetIngestTests.Row { Id = i, Score = i * 0.5, Label = i % 2 == 0 ? "red" : "blue", Active = i % 3 == 0 }).ToList();
        using var parquet = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, parquet);
        return parquet.ToArray();
    }

    /// <summary>The footer's length, stored just before the closing magic.</summary>
    private static int FooterLength(byte[] file) => BitConverter.ToInt32(file, file.Length - 8);

    public static TheoryData<string> Damages() => ["footer-middle", "footer-start", "first-page-header", "pages-overwritten", "middle-cut-out", "footer-length"];

    private static byte[] Damage(byte[] file, string how)
    {
        var damaged = (byte[])file.Clone();
        var footerStart = file.Length - 8 - FooterLength(file);
        switch (how)
        {
            case "footer-middle":
                Array.Fill(damaged, (byte)0xFF, footerStart + (FooterLength(file) / 2), 16);
                return damaged;
            case "footer-start":
                Array.Fill(damaged, (byte)0x7F, footerStart, 12);
                return damaged;
            case "first-page-header":
                Array.Fill(damaged, (byte)0xFF, 4, 24);
                return damaged;
            case "pages-overwritten":
                for (var i = 4; i < footerStart; i += 7)
                {
                    damaged[i] ^= 0xA5;
                }

                return damaged;
            case "middle-cut-out":
                // The footer survives, but every offset in it now points past what is left.
                return [.. file[..4], .. file[(footerStart / 2)..]];
            case "footer-length":
                BitConverter.GetBytes(file.Length * 4).CopyTo(damaged, file.Length - 8);
                return damaged;
            default:
                throw new ArgumentOutOfRangeException(nameof(how));
        }
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_parquet_upload_is_a_422_unreadable_parquet_and_quarantined(string how)
    {
        var file = Damage(await ParquetAsync(), how);
        Assert.Equal("PAR1"u8.ToArray(), file[..4]);
        Assert.Equal("PAR1"u8.ToArray(), file[^4..]);
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await DatasetApiTests.PutAsync(client, "damaged", file, "damaged.parquet");

        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{how}: {(int)status} {body}");
        Assert.Contains(body.GetProperty("report").GetProperty("problems").EnumerateArray(), p => p.GetProperty("kind").GetString() == "unreadable-parquet");
        var quarantine = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/datasets/damaged/quarantine", UriKind.Relative))).RootElement;
        Assert.Equal(1, quarantine.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("api/datasets/damaged/versions/latest", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_undamaged_file_the_variants_start_from_is_versioned()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await DatasetApiTests.PutAsync(client, "whole", await ParquetAsync(), "whole.parquet");

        Assert.True(status == HttpStatusCode.Created, body.ToString());
        Assert.Equal(500, body.GetProperty("rows").GetInt64());
    }
}
