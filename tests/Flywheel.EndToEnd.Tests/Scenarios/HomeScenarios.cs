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
}
