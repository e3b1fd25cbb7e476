using System.Net;
using System.Text.Json;
using Flywheel.Contracts.Retraining;
using Flywheel.Pipelines;
using Flywheel.Retraining;
using Flywheel.Tests.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using static Flywheel.Tests.Retraining.RetrainingScenario;

namespace Flywheel.Tests.Retraining;

/// <summary>
/// The loop closing by itself on LocalHost's engine and Azurite: a trigger fires, the retraining trains on the newest
/// data, gates, and its canary promotes or rolls back on the serving signal, with people able to steer it.
/// </summary>
public sealed class ContinuousTrainingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task New_data_retrains_and_a_healthy_canary_promotes_the_candidate_with_every_step_recorded()
    {
        await using var scenario = await StartAsync();
        await scenario.PutPolicyAsync("""
            {"triggers": {"newData": {"minNewRows": 100}}, "cooldown": "PT0S",
             "canary": {"shadowFirst": "PT2S", "steps": [50], "interval": "PT2S", "maxDuration": "PT10M", "minRequests": 5, "checks": {"agreement": {"min": 0}, "outputDrift": {"max": 1}}}}
            """);
        using var stop = new CancellationTokenSource();
        var traffic = scenario.TrafficAsync(stop.Token);

        // 300 rows against the 150 the champion learnt from: 150 new rows, more than the 100 the policy asks.
        await scenario.UploadAsync(Flowers(300, scrambled: false));
        var done = await scenario.WaitForAsync(Finished, Patience, "finished");
        await stop.CancelAsync();
        Assert.True(await traffic > 0);

        Assert.True(Status(done) == "promoted", done.ToString());
        Assert.Equal("newData", done.GetProperty("trigger").GetProperty("kind").GetString());
        Assert.Equal("300", done.GetProperty("trigger").GetProperty("evidence").GetProperty("rows").GetString());
        Assert.Equal(1, done.GetProperty("champion").GetInt32());
        Assert.Equal(2, done.GetProperty("candidate").GetInt32());
        var steps = Steps(done).ToList();
        Assert.Equal(["started", "trained", "shadow"], steps.Take(3));
        Assert.Contains("canary-step", steps);
        Assert.Contains("passed", steps);
        var passed = done.GetProperty("steps").EnumerateArray().Last(s => s.GetProperty("step").GetString() == "passed");
        Assert.Contains(passed.GetProperty("checks").EnumerateArray(), c => c.GetProperty("check").GetString() == "errorRate" && c.GetProperty("passed").GetBoolean());

        // Alias and traffic moved in one write: the candidate is the champion and the canary's routes are gone.
        Assert.Equal(2, (await scenario.ModelAsync()).GetProperty("aliases").GetProperty("champion").GetInt32());
        var (_, deployment) = await scenario.SendAsync(HttpMethod.Get, $"api/models/{Model}/deployment");
        Assert.False(deployment.TryGetProperty("deployment", out _), deployment.ToString());
        var history = await scenario.HistoryAsync();
        Assert.Contains("retraining-started", history);
        Assert.Contains("canary-promoted", history);
        Assert.Contains("retraining-finished", history);

        // The same version again is the same fact: no second retraining.
        await scenario.UploadAsync(Flowers(300, scrambled: false));
        Assert.Single(await scenario.RetrainingsAsync());
    }

    [Fact]
    public async Task A_candidate_failing_a_check_is_rolled_back_at_once_with_the_check_named_and_tagged_rejected()
    {
        await using var scenario = await StartAsync();

        // The champion answers at random; the honest candidate agrees with it on about a third of the rows.
        await scenario.PutPolicyAsync("""
            {"triggers": {"newData": {"minNewRows": 100}}, "cooldown": "P1D",
             "canary": {"shadowFirst": "PT2S", "steps": [50], "interval": "PT2S", "maxDuration": "PT10M", "minRequests": 5, "failureLimit": 1, "checks": {"agreement": {"min": 0.95}}}}
            """);
        using var stop = new CancellationTokenSource();
        var traffic = scenario.TrafficAsync(stop.Token);
        await scenario.UploadAsync(Flowers(300, scrambled: false));
        var done = await scenario.WaitForAsync(Finished, Patience, "finished");
        await stop.CancelAsync();
        await traffic;

        Assert.True(Status(done) == "rolled-back", done.ToString());
        Assert.Contains("agreement", done.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("canary-step", Steps(done));
        var failed = done.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "failed");
        Assert.Contains(failed.GetProperty("checks").EnumerateArray(), c => c.GetProperty("check").GetString() == "agreement" && !c.GetProperty("passed").GetBoolean());

        Assert.Equal(1, (await scenario.ModelAsync()).GetProperty("aliases").GetProperty("champion").GetInt32());
        var (_, deployment) = await scenario.SendAsync(HttpMethod.Get, $"api/models/{Model}/deployment");
        Assert.False(deployment.TryGetProperty("deployment", out _), deployment.ToString());
        var (_, candidate) = await scenario.SendAsync(HttpMethod.Get, $"api/models/{Model}/versions/2");
        Assert.Contains("agreement", candidate.GetProperty("tags").GetProperty(CanaryRoutes.RejectedTag).GetString(), StringComparison.Ordinal);
        Assert.Contains("canary-rolled-back", await scenario.HistoryAsync());

        // Within the cooldown a new fact is recorded as skipped, with why; a person can still retrain at once.
        var watcher = scenario.App.Services.GetRequiredService<TriggerWatcher>();
        var fact = new RetrainingTrigger(TriggerKind.Schedule, "schedule-test", "a test fact", new Dictionary<string, string>(), DateTimeOffset.UtcNow);
        Assert.True(await watcher.FireAsync(Model, fact, CancellationToken.None));
        Assert.False(await watcher.FireAsync(Model, fact, CancellationToken.None));
        var skipped = await scenario.WaitForAsync(r => r.GetProperty("trigger").GetProperty("key").GetString() == "schedule-test" && Finished(r), Patience, "skipped");
        Assert.Equal("skipped", Status(skipped));
        Assert.Contains("cooldown", skipped.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_canary_without_traffic_holds_and_never_fails_then_its_maximum_duration_applies_the_policy()
    {
        await using var scenario = await StartAsync();
        await scenario.PutPolicyAsync("""
            {"canary": {"shadowFirst": "PT0S", "steps": [20], "interval": "PT1S", "maxDuration": "PT4S", "minRequests": 5, "failureLimit": 1, "onInconclusive": "rollback"}}
            """);
        await scenario.UploadAsync(Flowers(300, scrambled: false));
        var (status, started) = await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/retrainings", """{"reason": "no traffic test"}""");
        Assert.True(status == HttpStatusCode.Accepted, started.ToString());
        Assert.Equal("manual", started.GetProperty("trigger").GetProperty("kind").GetString());

        var done = await scenario.WaitForAsync(Finished, Patience, "finished");
        Assert.True(Status(done) == "rolled-back", done.ToString());
        Assert.Contains("inconclusive", done.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var steps = Steps(done).ToList();
        Assert.Contains("inconclusive", steps);
        Assert.DoesNotContain("failed", steps);
        Assert.True(steps.Count(s => s == "inconclusive") >= 2, string.Join(",", steps));

        // Not the candidate's fault: it is not tagged rejected.
        var (_, candidate) = await scenario.SendAsync(HttpMethod.Get, $"api/models/{Model}/versions/2");
        Assert.False(candidate.GetProperty("tags").TryGetProperty(CanaryRoutes.RejectedTag, out _));
    }

    [Fact]
    public async Task A_person_pauses_then_promotes_a_canary_and_a_second_trigger_meanwhile_is_skipped()
    {
        await using var scenario = await StartAsync();
        await scenario.PutPolicyAsync("""{"canary": {"shadowFirst": "PT0S", "steps": [10, 50], "interval": "PT10M"}}""");
        await scenario.UploadAsync(Flowers(300, scrambled: false));
        var (_, started) = await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/retrainings");
        var id = started.GetProperty("id").GetString()!;
        await scenario.WaitForAsync(r => Steps(r).Contains("canary-step"), Patience, "at its first step");
        var (_, deployment) = await scenario.SendAsync(HttpMethod.Get, $"api/models/{Model}/deployment");
        Assert.Equal(10, deployment.GetProperty("deployment").GetProperty("routes")[1].GetProperty("weight").GetInt32());

        var (second, skipped) = await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/retrainings");
        Assert.Equal(HttpStatusCode.Accepted, second);
        Assert.Equal("skipped", Status(skipped));
        Assert.Contains("still running", skipped.GetProperty("reason").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Accepted, (await scenario.SendAsync(HttpMethod.Post, $"api/pipelines/{id}/events/pause")).Status);
        await scenario.WaitForAsync(r => Steps(r).Contains("paused"), Patience, "paused");
        Assert.Equal(HttpStatusCode.Accepted, (await scenario.SendAsync(HttpMethod.Post, $"api/pipelines/{id}/events/promote")).Status);
        var done = await scenario.WaitForAsync(r => r.GetProperty("id").GetString() == id && Finished(r), Patience, "finished");
        Assert.True(Status(done) == "promoted", done.ToString());
        Assert.Contains("by a person", done.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await scenario.ModelAsync()).GetProperty("aliases").GetProperty("champion").GetInt32());
    }

    [Fact]
    public async Task Terminating_a_retraining_restores_the_routes_its_canary_changed()
    {
        await using var scenario = await StartAsync();

        // A deployment of the model's own, with a sticky header: what a termination must give back.
        var (set, _) = await scenario.SendAsync(HttpMethod.Put, $"api/models/{Model}/deployment", """{"routes": [{"version": "champion", "weight": 100}], "sticky": "X-User"}""");
        Assert.Equal(HttpStatusCode.OK, set);
        await scenario.PutPolicyAsync("""{"canary": {"shadowFirst": "PT10M", "steps": [10], "interval": "PT10M"}}""");
        await scenario.UploadAsync(Flowers(300, scrambled: false));
        var (_, started) = await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/retrainings");
        var id = started.GetProperty("id").GetString()!;
        await scenario.WaitForAsync(r => Steps(r).Contains("shadow"), Patience, "shadowing");
        var (_, during) = await scenario.SendAsync(HttpMethod.Get, $"api/models/{Model}/deployment");
        Assert.Equal(2, during.GetProperty("deployment").GetProperty("shadow").GetProperty("version").GetInt32());
        Assert.Equal("X-User", during.GetProperty("deployment").GetProperty("sticky").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await scenario.SendAsync(HttpMethod.Post, $"api/pipelines/{id}/terminate?reason=enough")).Status);
        var done = await scenario.WaitForAsync(r => r.GetProperty("id").GetString() == id && Finished(r), Patience, "terminated");
        Assert.Equal("terminated", Status(done));
        var (_, after) = await scenario.SendAsync(HttpMethod.Get, $"api/models/{Model}/deployment");
        var routes = after.GetProperty("deployment").GetProperty("routes");
        Assert.Equal(1, routes.GetArrayLength());
        Assert.Equal("champion", routes[0].GetProperty("version").GetString());
        Assert.False(after.GetProperty("deployment").TryGetProperty("shadow", out _), after.ToString());
        Assert.Equal(1, (await scenario.ModelAsync()).GetProperty("aliases").GetProperty("champion").GetInt32());

        // The claim is free again: the next retraining starts.
        var (_, next) = await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/retrainings");
        Assert.Equal("running", Status(next));
        await scenario.App.Services.GetRequiredService<IPipelineClient>().TerminateAsync(next.GetProperty("id").GetString()!, "test over", CancellationToken.None);
    }

    [Fact]
    public async Task Feedback_on_served_predictions_becomes_a_dataset_version_that_fires_a_retraining_once_an_hour()
    {
        await using var scenario = await StartAsync(new Dictionary<string, string?> { ["Flywheel:Serving:PredictionLogFlushInterval"] = "00:00:00.200" });
        string[] species = ["1", "0", "2", "1"];
        for (var i = 0; i < species.Length; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"api/models/{Model}/predict", UriKind.Relative))
            {
                Content = new StringContent("""{"records": [{"sepal_length": 6.1, "sepal_width": 2.8, "petal_length": 4.7, "petal_width": 1.2}]}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Request-Id", $"fb-{i}");
            using var response = await scenario.Client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Accepted, (await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/feedback", $$"""{"requestId": "fb-{{i}}", "actual": {{species[i]}}}""")).Status);
        }

        await Serving.ServingApiTests.WaitForLogAsync(scenario.App.Storage, Model, records => records.Count >= species.Length);
        await scenario.PutPolicyAsync("""{"triggers": {"feedback": {"dataset": "flowers-feedback", "minRows": 3, "window": "PT1H"}}, "promotion": "never"}""");

        var fired = await scenario.WaitForAsync(r => r.GetProperty("trigger").GetProperty("kind").GetString() == "feedback", Patience, "fired by feedback");
        var evidence = fired.GetProperty("trigger").GetProperty("evidence");
        Assert.Equal("flowers-feedback", evidence.GetProperty("dataset").GetString());
        Assert.Equal("4", evidence.GetProperty("rows").GetString());
        var (_, version) = await scenario.SendAsync(HttpMethod.Get, "api/datasets/flowers-feedback/versions/1");
        Assert.StartsWith($"feedback of model {Model}", version.GetProperty("source").GetString(), StringComparison.Ordinal);

        // Checked once this hour, whichever timer ticks: the log is not read again until the next.
        var starter = scenario.App.Services.GetRequiredService<RetrainingStarter>();
        await starter.CheckFeedbackAsync(CancellationToken.None);
        Assert.Single(await scenario.RetrainingsAsync(), r => r.GetProperty("trigger").GetProperty("kind").GetString() == "feedback");
        await scenario.WaitForAsync(Finished, Patience, "finished");
    }

    [Fact]
    public async Task A_candidate_slower_than_the_latency_limit_fails_the_latency_check_and_rolls_back()
    {
        await using var scenario = await StartAsync();

        // No model answers within a microsecond: the latency check is the one that fails.
        await scenario.PutPolicyAsync("""
            {"canary": {"shadowFirst": "PT0S", "steps": [50], "interval": "PT2S", "maxDuration": "PT10M", "minRequests": 5, "failureLimit": 2,
                        "checks": {"agreement": {"min": 0}, "outputDrift": {"max": 1}, "latencyP99Ms": {"max": 0.001}}}}
            """);
        await scenario.UploadAsync(Flowers(300, scrambled: false));
        using var stop = new CancellationTokenSource();
        var traffic = scenario.TrafficAsync(stop.Token);
        await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/retrainings");
        var done = await scenario.WaitForAsync(Finished, Patience, "finished");
        await stop.CancelAsync();
        await traffic;

        Assert.True(Status(done) == "rolled-back", done.ToString());
        Assert.Contains("latencyP99Ms", done.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, Steps(done).Count(s => s == "failed"));
        Assert.All(done.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("step").GetString() == "failed"),
            s => Assert.Contains(s.GetProperty("checks").EnumerateArray(), c => c.GetProperty("check").GetString() == "latencyP99Ms" && !c.GetProperty("passed").GetBoolean()));
    }

    [Fact]
    public async Task A_manual_approval_gates_the_canary_and_without_one_in_time_nothing_reaches_traffic()
    {
        await using var scenario = await StartAsync();
        await scenario.PutPolicyAsync("""{"approval": "manual", "approvalTimeout": "PT3S", "canary": {"shadowFirst": "PT0S", "steps": [50], "interval": "PT10M"}}""");
        await scenario.UploadAsync(Flowers(300, scrambled: false));
        var (_, started) = await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/retrainings");
        var timedOut = await scenario.WaitForAsync(Finished, Patience, "timed out");
        Assert.True(Status(timedOut) == "not-promoted", timedOut.ToString());
        Assert.Contains("no approval within PT3S", timedOut.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("awaiting-approval", Steps(timedOut));
        Assert.DoesNotContain("canary-step", Steps(timedOut));

        // Approved, the canary starts; a person then promotes it.
        await scenario.PutPolicyAsync("""{"approval": "manual", "approvalTimeout": "PT10M", "canary": {"shadowFirst": "PT0S", "steps": [50], "interval": "PT10M"}}""");
        var (_, second) = await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/retrainings");
        var id = second.GetProperty("id").GetString()!;
        await scenario.WaitForAsync(r => r.GetProperty("id").GetString() == id && Steps(r).Contains("awaiting-approval"), Patience, "awaiting approval");
        Assert.Equal(HttpStatusCode.Accepted, (await scenario.SendAsync(HttpMethod.Post, $"api/pipelines/{id}/events/approval", """{"approved": true, "by": "ana"}""")).Status);
        await scenario.WaitForAsync(r => r.GetProperty("id").GetString() == id && Steps(r).Contains("canary-step"), Patience, "at its step");
        Assert.Equal(HttpStatusCode.Accepted, (await scenario.SendAsync(HttpMethod.Post, $"api/pipelines/{id}/events/promote")).Status);
        var done = await scenario.WaitForAsync(r => r.GetProperty("id").GetString() == id && Finished(r), Patience, "promoted");
        Assert.Equal("promoted", Status(done));
        Assert.Contains("approved", Steps(done));
    }

    [Fact]
    public async Task A_canary_inconclusive_for_its_maximum_duration_is_held_for_a_person_who_then_promotes_it()
    {
        await using var scenario = await StartAsync();
        await scenario.PutPolicyAsync("""{"canary": {"shadowFirst": "PT0S", "steps": [20], "interval": "PT1S", "maxDuration": "PT3S", "minRequests": 5, "onInconclusive": "hold"}}""");
        await scenario.UploadAsync(Flowers(300, scrambled: false));
        var (_, started) = await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/retrainings");
        var id = started.GetProperty("id").GetString()!;

        var held = await scenario.WaitForAsync(r => r.GetProperty("id").GetString() == id && Status(r) == "held", Patience, "held");
        Assert.False(Finished(held));
        Assert.Contains("promote or rollback", held.GetProperty("steps").EnumerateArray().Last().GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (_, deployment) = await scenario.SendAsync(HttpMethod.Get, $"api/models/{Model}/deployment");
        Assert.Equal(20, deployment.GetProperty("deployment").GetProperty("routes")[1].GetProperty("weight").GetInt32());

        // A resume means nothing once held; only a promote or a rollback ends it.
        Assert.Equal(HttpStatusCode.Accepted, (await scenario.SendAsync(HttpMethod.Post, $"api/pipelines/{id}/events/resume")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await scenario.SendAsync(HttpMethod.Post, $"api/pipelines/{id}/events/promote")).Status);
        var done = await scenario.WaitForAsync(r => r.GetProperty("id").GetString() == id && Finished(r), Patience, "promoted");
        Assert.Equal("promoted", Status(done));
        Assert.Contains("after the canary was held", done.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var (_, after) = await scenario.SendAsync(HttpMethod.Get, $"api/models/{Model}/deployment");
        Assert.False(after.TryGetProperty("deployment", out _), after.ToString());
    }

    [Fact]
    public async Task Terminating_a_retraining_while_it_trains_terminates_its_training_too()
    {
        await using var scenario = await StartAsync();
        var (saved, body) = await scenario.SendAsync(HttpMethod.Put, $"api/models/{Model}/training",
            $$$"""{"dataset": "{{{Dataset}}}", "label": "species", "trials": 40, "trainers": ["lightgbm"], "seed": 5, "gate": {"minRows": 1}}""");
        Assert.True(saved == HttpStatusCode.OK, body.ToString());
        await scenario.PutPolicyAsync("""{"promotion": "never"}""");
        await scenario.UploadAsync(Flowers(300, scrambled: false));
        var (_, started) = await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/retrainings");
        var id = started.GetProperty("id").GetString()!;
        var training = Flywheel.Retraining.Workflow.RetrainingOrchestration.TrainingInstanceId(id);

        var deadline = DateTime.UtcNow + Patience;
        while ((await scenario.SendAsync(HttpMethod.Get, $"api/pipelines/{training}")).Status != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the training pipeline never started");
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await scenario.SendAsync(HttpMethod.Post, $"api/pipelines/{id}/terminate")).Status);
        var end = await scenario.Client.WaitForEndAsync(training, Patience);
        Assert.Equal("Terminated", end.GetProperty("runtimeStatus").GetString());
        var done = await scenario.WaitForAsync(r => r.GetProperty("id").GetString() == id && Finished(r), Patience, "terminated");
        Assert.Equal("terminated", Status(done));
        Assert.Equal(1, (await scenario.ModelAsync()).GetProperty("latestVersion").GetInt32());
    }
}
