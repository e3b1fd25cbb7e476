using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Api;
using Flywheel.Contracts.Errors;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Tests.Registry;

/// <summary>Continuation tokens belong to the list (and filters) that handed them out: any other list, or an edited token, is a 400 naming the parameter.</summary>
public sealed class ContinuationTokenTests
{
    [Fact]
    public async Task A_token_from_one_listing_is_a_400_on_every_other_listing_and_works_on_its_own()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        foreach (var name in new[] { "alpha", "beta", "gamma" })
        {
            await ModelFiles.RegisterAsync(client, name, ModelFiles.IrisZipMap);
        }

        await ModelFiles.RegisterAsync(client, "alpha", ModelFiles.IrisSecondVersion());
        var models = await GetAsync(client, "api/models?pageSize=1");
        var token = models.Body.GetProperty("continuationToken").GetString()!;
        var history = await GetAsync(client, "api/models/alpha/history?pageSize=1");
        var historyToken = history.Body.GetProperty("continuationToken").GetString()!;

        foreach (var other in new[] { "api/models/alpha/history", "api/models/beta/history", "api/models/alpha", "api/models/alpha/drift/history", "api/datasets", "api/runs", "api/models?x=1" })
        {
            var separator = other.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var (status, body) = await GetAsync(client, $"{other}{separator}continuationToken={Uri.EscapeDataString(token)}");
            if (other.EndsWith("x=1", StringComparison.Ordinal))
            {
                Assert.Equal(HttpStatusCode.BadRequest, status); // An unknown parameter: refused before the token.
                continue;
            }

            Assert.True(status == HttpStatusCode.BadRequest, $"{other}: {(int)status} {body}");
            Assert.Contains("continuationToken", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var (historyStatus, _) = await GetAsync(client, $"api/models/beta/history?continuationToken={Uri.EscapeDataString(historyToken)}");
        Assert.Equal(HttpStatusCode.BadRequest, historyStatus);
        var (modelsStatus, _) = await GetAsync(client, $"api/models?continuationToken={Uri.EscapeDataString(historyToken)}");
        Assert.Equal(HttpStatusCode.BadRequest, modelsStatus);

        var next = await GetAsync(client, $"api/models?pageSize=2&continuationToken={Uri.EscapeDataString(token)}");
        Assert.Equal(HttpStatusCode.OK, next.Status);
        string[] names = [models.Body.GetProperty("items")[0].GetProperty("name").GetString()!, .. next.Body.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("name").GetString()!)];
        Assert.Equal(["alpha", "beta", "gamma"], names);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, $"api/models/alpha/history?pageSize=1&continuationToken={Uri.EscapeDataString(historyToken)}")).Status);
    }

    [Fact]
    public async Task An_edited_truncated_or_old_envelope_token_is_a_400_naming_the_parameter()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "alpha", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "beta", ModelFiles.IrisZipMap);
        var token = (await GetAsync(client, "api/models?pageSize=1")).Body.GetProperty("continuationToken").GetString()!;
        var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        var inner = text[(4 + 16)..];

        foreach (var bad in new[]
        {
            token[..^2],
            token[..^1] + (token[^1] == 'A' ? 'B' : 'A'),
            Encode(text[..^1] + (text[^1] == '1' ? '2' : '1')),
            Encode("fw1:" + inner),
            Encode(text[..20] + "zzz" + inner),
            "garbage",
        })
        {
            var (status, body) = await GetAsync(client, $"api/models?continuationToken={Uri.EscapeDataString(bad)}");
            Assert.True(status == HttpStatusCode.BadRequest, $"{bad}: {(int)status} {body}");
            Assert.Equal("https://flywheel.dev/problems/invalid-continuation-token", body.GetProperty("type").GetString());
            Assert.Contains("continuationToken", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("?name=a", "?name=a&pageSize=5", true)]
    [InlineData("?name=a&status=Running", "?status=Running&name=a", true)]
    [InlineData("?name=a", "?name=b", false)]
    [InlineData("?name=a", "", false)]
    [InlineData("", "?name=a", false)]
    [InlineData("?status=Running&status=Failed", "?status=Failed&status=Running", false)]
    [InlineData("?createdFrom=2026-01-01", "?createdFrom=2026-01-02", false)]
    public void A_pipelines_token_belongs_to_its_filters(string from, string to, bool accepted)
    {
        var token = Paging.Encode(Request("/api/pipelines", from), "next-page");

        var reading = Request("/api/pipelines", $"{to}{(to.Length == 0 ? '?' : '&')}continuationToken={Uri.EscapeDataString(token!)}");

        if (accepted)
        {
            Assert.Equal("next-page", Read(reading).Token);
        }
        else
        {
            Assert.Equal("invalid-continuation-token", Assert.Throws<FlywheelException>(() => Read(reading)).Code);
        }
    }

    /// <summary>What a list handler reads: the paging parameters bound from the query, checked against the request's list.</summary>
    private static (string? Token, int Size) Read(HttpRequest request) =>
        new PageQuery { PageSize = request.Query["pageSize"], ContinuationToken = request.Query["continuationToken"] }.Read(request);

    private static HttpRequest Request(string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        return context.Request;
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
