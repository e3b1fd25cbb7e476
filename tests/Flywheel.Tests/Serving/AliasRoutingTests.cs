using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Serving;

/// <summary>
/// Deployment routes and the shadow name versions by reference, resolved whenever the serving target
/// is read: a promotion reaches traffic through a route to <c>champion</c>, and deleting the
/// deployment returns the model to its champion.
/// </summary>
public sealed class AliasRoutingTests
{
    private static readonly byte[] s_iris = """{"instances": [[5.1, 3.5, 1.4, 0.2]]}"""u8.ToArray();

    private static async Task<(HttpStatusCode Status, string Body, string? Version)> SendAsync(HttpClient client, HttpMethod method, string url, string? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues("X-Model-Version", out var versions) ? versions.Single() : null);
    }

    private static async Task<string?> ServedAsync(HttpClient client) =>
        (await SendAsync(client, HttpMethod.Post, "api/models/iris/predict", Encoding.UTF8.GetString(s_iris))).Version;

    private static async Task SetAliasAsync(HttpClient client, string alias, int version) =>
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Put, $"api/models/iris/aliases/{alias}", $$"""{"version": {{version}}}""")).Status);

    [Fact]
    public async Task A_route_to_champion_follows_a_promotion_on_every_instance_and_get_shows_both_declared_and_resolved()
    {
        var fast = new Dictionary<string, string?> { ["Flywheel:Serving:DeploymentCacheDuration"] = "00:00:00.200" };
        await using var first = new FlywheelApp(fast);
        await using var second = new FlywheelApp(new Dictionary<string, string?>(fast) { ["Flywheel:Storage:NamePrefix"] = first.Prefix });
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        await ModelFiles.RegisterAsync(a, "iris", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(a, "iris", ModelFiles.IrisSecondVersion());
        await SetAliasAsync(a, "champion", 1);
        await SetAliasAsync(a, "challenger", 2);

        var put = await SendAsync(a, HttpMethod.Put, "api/models/iris/deployment", """{"routes": [{"version": "champion", "weight": 100}, {"version": "challenger", "weight": 0}]}""");
        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal("1", await ServedAsync(a));
        Assert.Equal("1", await ServedAsync(b));

        await SetAliasAsync(a, "champion", 2);
        // On the instance that moved the alias at once; on another within its refresh period.
        Assert.Equal("2", await ServedAsync(a));
        string? other = null;
        for (var attempt = 0; attempt < 50 && other != "2"; attempt++)
        {
            await Task.Delay(100);
            other = await ServedAsync(b);
        }

        Assert.Equal("2", other);
        var status = JsonDocument.Parse((await SendAsync(a, HttpMethod.Get, "api/models/iris/deployment")).Body).RootElement;
        Assert.Equal("champion", status.GetProperty("deployment").GetProperty("routes")[0].GetProperty("version").GetString());
        Assert.Equal(2, status.GetProperty("resolved").GetProperty("routes")[0].GetProperty("version").GetInt32());
        Assert.Equal("champion", status.GetProperty("resolved").GetProperty("routes")[0].GetProperty("declared").GetString());
    }

    [Fact]
    public async Task Deleting_the_deployment_returns_the_model_to_its_champion_and_a_second_delete_is_a_404()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisSecondVersion());
        await SetAliasAsync(client, "champion", 2);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Put, "api/models/iris/deployment", """{"routes": [{"version": 1, "weight": 1}]}""")).Status);
        Assert.Equal("1", await ServedAsync(client));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, HttpMethod.Delete, "api/models/iris/deployment")).Status);

        Assert.Equal("2", await ServedAsync(client));
        var again = await SendAsync(client, HttpMethod.Delete, "api/models/iris/deployment");
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Contains("has no deployment", again.Body, StringComparison.Ordinal);
        var history = await SendAsync(client, HttpMethod.Get, "api/models/iris/history");
        Assert.Contains("deployment-removed", history.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_to_an_unknown_alias_is_a_404_and_an_alias_a_deployment_follows_cannot_be_deleted_or_its_version_archived()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisSecondVersion());
        await SetAliasAsync(client, "challenger", 2);

        var unknown = await SendAsync(client, HttpMethod.Put, "api/models/iris/deployment", """{"routes": [{"version": "champion", "weight": 1}]}""");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("no alias 'champion'", unknown.Body, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Put, "api/models/iris/deployment", """{"routes": [{"version": 1, "weight": 9}], "shadow": {"version": "challenger"}}""")).Status);
        var delete = await SendAsync(client, HttpMethod.Delete, "api/models/iris/aliases/challenger");
        var archive = await SendAsync(client, HttpMethod.Delete, "api/models/iris/versions/2");

        Assert.Equal(HttpStatusCode.Conflict, delete.Status);
        Assert.Contains("routes traffic to alias 'challenger'", delete.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, archive.Status);
        Assert.Equal("1", await ServedAsync(client));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("\"latest\"")]
    [InlineData("\"2\"")]
    public async Task A_route_takes_a_number_latest_or_a_numeric_string(string version)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisSecondVersion());
        await ModelFiles.RegisterAsync(client, "iris", [.. ModelFiles.IrisSecondVersion(), 0x3A, 0x00]);

        var put = await SendAsync(client, HttpMethod.Put, "api/models/iris/deployment", $$"""{"routes": [{"version": {{version}}, "weight": 1}]}""");

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal(version == "\"2\"" ? "2" : "3", await ServedAsync(client));
    }
}
