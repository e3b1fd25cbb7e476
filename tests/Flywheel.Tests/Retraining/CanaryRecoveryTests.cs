using Flywheel.Testing;
using Flywheel.Tests.Pipelines;
using Xunit.Abstractions;
using static Flywheel.Tests.Retraining.RetrainingScenario;

namespace Flywheel.Tests.Retraining;

/// <summary>
/// A canary across processes on one storage account: the judge sums every instance's signal, and a host killed
/// mid-canary resumes it where it was.
/// </summary>
public sealed class CanaryRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_canary_is_judged_on_another_instances_traffic_and_resumes_after_its_host_is_killed()
    {
        // Both processes share storage and task hub; only the first runs orchestrations, only the second takes traffic.
        var shared = RestartableHost.Settings("Flywheel__Retraining__Schedule", "* * * * * *");
        var engine = new Dictionary<string, string>(shared)
        {
            ["Flywheel__LocalEngine__Enabled"] = "true",
            ["Flywheel__Serving__SignalFlushInterval"] = "00:00:01",
            ["Flywheel__Serving__DeploymentCacheDuration"] = "00:00:01",
        };
        var server = new Dictionary<string, string>(engine)
        {
            ["Flywheel__LocalEngine__Enabled"] = "false",
            ["Flywheel__Retraining__Schedule"] = "0 0 0 1 1 *",
        };

        await using var serving = await LocalHostProcess.StartAsync(Azurite.ConnectionString, server);
        string id;
        await using (var first = await LocalHostProcess.StartAsync(Azurite.ConnectionString, engine))
        {
            var scenario = await OnAsync(first.Client);

            // More requests than the first host will ever see (none): only the second host's signal can satisfy it.
            await scenario.PutPolicyAsync("""{"canary": {"shadowFirst": "PT0S", "steps": [50], "interval": "PT8S", "maxDuration": "PT5M", "minRequests": 20, "checks": {"agreement": {"min": 0}, "outputDrift": {"max": 1}}}}""");
            await scenario.UploadAsync(Flowers(300, scrambled: false));
            var (_, started) = await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/retrainings");
            id = started.GetProperty("id").GetString()!;
            await scenario.WaitForAsync(r => Steps(r).Contains("canary-step"), TimeSpan.FromMinutes(3), "at its step");
            await first.KillAsync();
            output.WriteLine(first.Output[^Math.Min(first.Output.Length, 2000)..]);
        }

        var traffic = Existing(serving.Client);
        using var stop = new CancellationTokenSource();
        var sending = traffic.TrafficAsync(stop.Token);
        await using var restarted = await LocalHostProcess.StartAsync(Azurite.ConnectionString, engine);
        var watcher = Existing(restarted.Client);
        var done = await watcher.WaitForAsync(r => r.GetProperty("id").GetString() == id && Finished(r), TimeSpan.FromMinutes(3), "finished after the restart");
        await stop.CancelAsync();
        var sent = await sending;
        output.WriteLine($"requests sent to the serving host: {sent}");

        Assert.True(Status(done) == "promoted", done.ToString());
        var passed = done.GetProperty("steps").EnumerateArray().Last(s => s.GetProperty("step").GetString() == "passed");
        Assert.Contains(passed.GetProperty("checks").EnumerateArray(), c => c.GetProperty("check").GetString() == "errorRate" && c.GetProperty("passed").GetBoolean());
        Assert.Equal(2, (await watcher.ModelAsync()).GetProperty("aliases").GetProperty("champion").GetInt32());
    }
}
