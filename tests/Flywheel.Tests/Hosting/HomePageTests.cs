using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Flywheel.Tests.Hosting;

public sealed class HomePageTests
{
    private static readonly string[] s_entryPoints = ["api/health", "api/docs", "console", "api/datasets", "api/models", "api/pipelines", "api/runs", "v2"];

    [Fact]
    public async Task The_root_is_an_html_page_linking_the_entry_points()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.All(s_entryPoints, link => Assert.Contains($"href=\"{link}\"", page, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_root_answers_json_links_to_a_client_that_accepts_json()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("flywheel", body.GetProperty("name").GetString());
        Assert.Equal(s_entryPoints, body.GetProperty("links").EnumerateObject().Select(link => link.Value.GetString()));
    }
}
