using System.Net.Http.Headers;
using Flywheel.EndToEnd.Tests.Hosts;

namespace Flywheel.EndToEnd.Tests.Scenarios;

[Collection(BothHostsCollection.Name)]
public sealed class HomeScenarios(BothHosts hosts)
{
    [Fact]
    public Task The_root_page_health_and_oip_server_routes_answer_alike_and_only_keyed_routes_want_a_key() => hosts.SameOnEveryHostAsync(async s =>
    {
        var page = await s.GetAsync("", 200);
        Assert.Equal("text/html", page.MediaType);
        await s.SendAsync(HttpMethod.Get, "", null, 200, new Dictionary<string, string> { ["Accept"] = "application/json" });
        await s.GetAsync("api/health", 200);
        await s.GetAsync("v2", 200);
        await s.GetAsync("v2/health/live", 200);
        // A path no function declares is answered by the Functions host itself, with an empty body.
        await s.GetStatusAsync("api/no-such-route", 404);

        // The Functions host checks function keys as Azure does; LocalHost, run by a developer, does not.
        using var anonymous = new HttpClient { BaseAddress = s.Host.BaseAddress };
        anonymous.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var health = await anonymous.GetAsync(new Uri("api/health", UriKind.Relative));
        using var models = await anonymous.GetAsync(new Uri("api/models", UriKind.Relative));
        Assert.Equal(200, (int)health.StatusCode);
        Assert.Equal(s.Host.Kind == HostKind.Functions ? 401 : 200, (int)models.StatusCode);
    });

    [Fact]
    public Task Both_hosts_serve_the_same_openapi_document_and_reference_page_without_a_key() => hosts.SameOnEveryHostAsync(async s =>
    {
        using var anonymous = new HttpClient { BaseAddress = s.Host.BaseAddress };
        using var document = await anonymous.GetAsync(new Uri("api/openapi.json", UriKind.Relative));
        using var page = await anonymous.GetAsync(new Uri("api/docs", UriKind.Relative));
        Assert.Equal((200, 200), ((int)document.StatusCode, (int)page.StatusCode));
        Assert.Contains("fetch('openapi.json')", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The transcript compares the document itself; every path in it is a route the host serves (none is a 404 from the host).
        var openApi = await s.GetAsync("api/openapi.json", 200);
        foreach (var path in openApi.Json["paths"]!.AsObject().Select(p => p.Key).Where(p => !p.Contains('{', StringComparison.Ordinal)))
        {
            var methods = openApi.Json["paths"]![path]!.AsObject().Select(m => m.Key).ToList();
            if (methods.Contains("get"))
            {
                await s.GetStatusAsync(path.TrimStart('/'), Expected(path));
            }
        }
    });

    [Fact]
    public Task Both_hosts_serve_the_console_and_its_libraries_without_a_key() => hosts.SameOnEveryHostAsync(async s =>
    {
        // The pages hold no data (ADR-016): the Functions host serves them through the generated catch-all function.
        using var anonymous = new HttpClient { BaseAddress = s.Host.BaseAddress };
        foreach (var (path, type) in new[] { ("console", "text/html"), ("console/models/iris", "text/html"), ("console/app.js", "text/javascript"), ("console/uPlot.iife.min.js", "text/javascript"), ("console/console.css", "text/css") })
        {
            using var answer = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(answer.IsSuccessStatusCode, $"{s.Host.Kind} GET {path}: {(int)answer.StatusCode}");
            Assert.Equal(type, answer.Content.Headers.ContentType?.MediaType);
            Assert.NotEmpty(await answer.Content.ReadAsByteArrayAsync());
        }

        using var missing = await anonymous.GetAsync(new Uri("console/no-such-file.js", UriKind.Relative));
        Assert.Equal(404, (int)missing.StatusCode);
    });

    /// <summary>What a bare GET of each parameterless path answers on an empty store.</summary>
    private static int Expected(string path) => path switch
    {
        "/v2/health/ready" or "/api/health" or "/v2/health/live" or "/v2" or "/api/openapi.json" or "/api/docs" => 200,
        "/api/datasets" or "/api/models" or "/api/pipelines" or "/api/runs" => 200,
        _ => throw new InvalidOperationException($"No expectation for GET {path}: add one."),
    };
}
