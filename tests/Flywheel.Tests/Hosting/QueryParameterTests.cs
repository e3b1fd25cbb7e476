using System.Net;
using System.Text.Json;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Hosting;

public sealed class QueryParameterTests
{
    [Fact]
    public async Task An_unknown_query_parameter_is_a_400_naming_it_and_listing_the_valid_ones()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("api/pipelines?model=x&status=Completed", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://flywheel.dev/problems/unknown-query-parameter", body.GetProperty("type").GetString());
        Assert.Equal(["model"], body.GetProperty("unknown").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["name", "status", "createdFrom", "createdTo", "pageSize", "continuationToken"], body.GetProperty("valid").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains("'model'", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("createdFrom", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_that_take_no_query_parameters_refuse_any_and_serving_routes_answer_in_their_own_shape()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "flowers", ModelFiles.IrisZipMap);
        using var records = new StringContent("""{"instances": [[5.1, 3.5, 1.4, 0.2]]}""", System.Text.Encoding.UTF8, "application/json");

        using var version = await client.GetAsync(new Uri("api/models/flowers/versions/1?verbose=true", UriKind.Relative));
        using var predict = await client.PostAsync(new Uri("api/models/flowers/predict?version=2", UriKind.Relative), records);
        using var oip = await client.GetAsync(new Uri("v2/models/flowers?verbose=1&debug", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, version.StatusCode);
        Assert.Contains("takes no query parameters", await version.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, predict.StatusCode);
        Assert.Contains("'version'", await predict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, oip.StatusCode);
        var error = JsonDocument.Parse(await oip.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.Contains("'verbose', 'debug'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_documented_query_parameter_is_still_accepted()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var urls = new (HttpMethod Method, string Url)[]
        {
            (HttpMethod.Get, "api/datasets?pageSize=5&continuationToken="),
            (HttpMethod.Get, "api/datasets?PAGESIZE=5"),
            (HttpMethod.Get, "api/datasets/q/versions?pageSize=5"),
            (HttpMethod.Get, "api/datasets/q/quarantine?pageSize=5"),
            (HttpMethod.Get, "api/datasets/q/diff?from=1&to=2"),
            (HttpMethod.Get, "api/datasets/q/drift?reference=1&current=2&method=psi&threshold=0.1&format=html"),
            (HttpMethod.Get, "api/models?pageSize=5"),
            (HttpMethod.Get, "api/models/q?pageSize=5"),
            (HttpMethod.Get, "api/models/q/history?pageSize=5"),
            (HttpMethod.Get, "api/models/q/drift?format=html"),
            (HttpMethod.Post, "api/models/q/drift/run?format=html"),
            (HttpMethod.Get, "api/models/q/drift/history?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&pageSize=5"),
            (HttpMethod.Get, "api/pipelines?name=x&status=Completed&createdFrom=2026-01-01T00:00:00Z&createdTo=2026-02-01T00:00:00Z&pageSize=5"),
            (HttpMethod.Post, "api/pipelines/q/terminate?reason=wrong+data"),
            (HttpMethod.Get, "api/runs?model=q&pipeline=p&filter=&orderBy=&pageSize=5"),
            // The Functions host's key travels as ?code= on every route.
            (HttpMethod.Get, "api/health?code=key"),
            (HttpMethod.Get, "v2/health/ready?code=key"),
        };

        var refused = new List<string>();
        foreach (var (method, url) in urls)
        {
            using var request = new HttpRequestMessage(method, url);
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (text.Contains("unknown-query-parameter", StringComparison.Ordinal) || text.Contains("query parameter", StringComparison.Ordinal))
            {
                refused.Add($"{method} {url}: {(int)response.StatusCode} {text}");
            }
        }

        Assert.Empty(refused);
    }

    public static TheoryData<string, string> BadValues() => new()
    {
        { "api/pipelines?status=Running,bogus", $"'bogus' is not a runtime status: use {string.Join(", ", Flywheel.Pipelines.PipelineQuery.RuntimeStatuses)}." },
        { "api/pipelines?createdFrom=yesterday", "'createdFrom' must be an ISO 8601 time such as 2026-12-01T00:00:00Z; it is 'yesterday'." },
        { "api/datasets/qqq/drift?current=2", "reference is required: the version to compare against, e.g. ?reference=1&current=2." },
        { "api/datasets/qqq/drift?reference=1&threshold=x", "threshold must be a positive number; it is 'x'." },
        { "api/datasets/qqq/drift?reference=1&format=pdf", "format must be json or html; it is 'pdf'." },
        { "api/models/qqq/versions/1/card?format=pdf", "format must be markdown or html; it is 'pdf'." },
        { "api/models/flowers/drift/history?from=soon", "from must be an ISO 8601 time such as 2026-12-01T00:00:00Z; it is 'soon'." },
        { "api/models/flowers/drift/history?from=2026-02-01T00:00:00Z&to=2026-01-01", "from (2026-02-01 00:00:00Z) must not be after to (2026-01-01 00:00:00Z)." },
        { "api/models/flowers?continuationToken=bogus", "continuationToken is not one this list handed out: pass the previous page's continuationToken unchanged, with the same path and filters, or leave it out for the first page." },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_query_value_a_route_cannot_read_is_a_400_saying_why(string url, string detail)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "flowers", ModelFiles.IrisZipMap);

        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(detail, body.GetProperty("detail").GetString());
        Assert.Equal(400, body.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("abc", 100)]
    [InlineData("-5", 100)]
    [InlineData("0", 1)]
    [InlineData("5000", 1000)]
    [InlineData("", 100)]
    public void A_page_size_that_is_no_plain_number_asks_for_the_default_page_and_others_are_clamped(string pageSize, int size)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Path = "/api/models";

        Assert.Equal((null, size), new Flywheel.Api.PageQuery { PageSize = pageSize }.Read(context.Request));
    }
}
