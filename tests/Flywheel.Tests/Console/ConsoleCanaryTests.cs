using System.Net;
using Flywheel.Tests.Retraining;

namespace Flywheel.Tests.Console;

/// <summary>The retraining page's canary controls post the pipeline events a person steers a canary with.</summary>
public sealed class ConsoleCanaryTests(ConsoleSite site) : IClassFixture<ConsoleSite>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private const string Model = ConsoleSite.Model;

    [Fact]
    public async Task Rolling_back_a_held_canary_on_the_retraining_page_ends_it_rolled_back()
    {
        var scenario = site.Scenario;
        // No traffic reaches the canary, so its step stays inconclusive and is held for a person after 3 s.
        await scenario.PutPolicyAsync("""{"canary": {"shadowFirst": "PT0S", "steps": [20], "interval": "PT1S", "maxDuration": "PT3S", "minRequests": 5, "onInconclusive": "hold"}}""");
        await scenario.UploadAsync(RetrainingScenario.Flowers(300, scrambled: false));
        var (status, started) = await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/retrainings");
        Assert.True(status == HttpStatusCode.Accepted, started.ToString());
        var id = started.GetProperty("id").GetString()!;
        var held = await scenario.WaitForAsync(r => r.GetProperty("id").GetString() == id && RetrainingScenario.Status(r) == "held", Patience, "held");

        var result = await ConsoleBrowser.BrowseAsync(new ConsoleBrowser.Step(site.Url($"console/retraining/{Model}"), "retraining-rollback.png", Click: "Roll back", Within: $"section[data-id='{id}']"));

        Assert.True(result.Errors.Count == 0, string.Join("; ", result.Errors));
        Assert.True(result.Text.Contains("canary-step", StringComparison.Ordinal), $"The page lacks the canary's step.\nPage: {result.Text}\nRecord when held: {held}");
        Assert.Equal("Roll back: sent", result.Sent);
        var done = await scenario.WaitForAsync(r => r.GetProperty("id").GetString() == id && RetrainingScenario.Finished(r), Patience, "rolled back");
        Assert.Equal("rolled-back", RetrainingScenario.Status(done));
        var (_, deployment) = await scenario.SendAsync(HttpMethod.Get, $"api/models/{Model}/deployment");
        Assert.False(deployment.TryGetProperty("deployment", out _), deployment.ToString());
    }
}
