using System.Text.Json;
using Flywheel.Cli;
using Flywheel.Tests.Retraining;

namespace Flywheel.Tests.Cli;

/// <summary><c>flywheel policy ...</c> and <c>flywheel retrain ...</c> on a champion trained with a saved training spec.</summary>
public sealed class RetrainingCliTests
{
    private const string Model = RetrainingScenario.Model;

    // A canary that sits at its first step for ten minutes: long enough for a test to act on it while it runs.
    private const string HoldingPolicy = """{"cooldown": "PT0S", "canary": {"shadowFirst": "PT0S", "steps": [10, 50], "interval": "PT10M"}}""";

    [Fact]
    public async Task Policy_set_from_a_file_is_what_policy_get_reads_and_retrain_status_lists_a_started_retraining()
    {
        await using var scenario = await RetrainingScenario.StartAsync();
        var file = await PolicyFileAsync();
        try
        {
            var before = (await CliRun.RunAsync(scenario.App, "retrain", "status", Model, "-o", "json")).Json;
            var set = (await CliRun.RunAsync(scenario.App, "policy", "set", Model, "--file", file, "-o", "json")).Json;
            var got = (await CliRun.RunAsync(scenario.App, "policy", "get", Model, "-o", "json")).Json;
            var started = (await CliRun.RunAsync(scenario.App, "retrain", "start", Model, "--reason", "new labels", "-o", "json")).Json;
            var after = (await CliRun.RunAsync(scenario.App, "retrain", "status", Model, "-o", "json")).Json;

            Assert.Equal(0, before.GetArrayLength());
            Assert.Equal("PT0S", got.GetProperty("cooldown").GetString());
            Assert.Equal([10, 50], got.GetProperty("canary").GetProperty("steps").EnumerateArray().Select(s => s.GetInt32()));
            // Defaults the file left out come back filled in.
            Assert.Equal("canary", got.GetProperty("promotion").GetString());
            Assert.Equal(set.ToString(), got.ToString());
            var listed = Assert.Single(after.EnumerateArray());
            Assert.Equal(started.GetProperty("id").GetString(), listed.GetProperty("id").GetString());
            Assert.Equal("manual", listed.GetProperty("trigger").GetProperty("kind").GetString());
            Assert.EndsWith(": new labels", listed.GetProperty("trigger").GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Policy_get_of_a_model_without_a_policy_exits_3()
    {
        await using var app = new FlywheelApp();

        var result = await CliRun.RunAsync(app, "policy", "get", Model);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("policy set", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipelines_events_raises_promote_on_a_running_canary_and_the_retraining_ends_promoted()
    {
        await using var scenario = await RetrainingScenario.StartAsync();
        var file = await PolicyFileAsync();
        try
        {
            Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(scenario.App, "policy", "set", Model, "--file", file)).ExitCode);
            await scenario.UploadAsync(RetrainingScenario.Flowers(300, scrambled: false));
            var id = (await CliRun.RunAsync(scenario.App, "retrain", "start", Model, "-o", "json")).Json.GetProperty("id").GetString()!;
            await WaitForStepAsync(scenario.App, id, "canary-step");

            var raised = await CliRun.RunAsync(scenario.App, "pipelines", "events", id, "promote", "-o", "json");
            var watched = await CliRun.RunAsync(scenario.App, "pipelines", "watch", id, "-o", "json");
            var record = (await CliRun.RunAsync(scenario.App, "retrain", "status", Model, "-o", "json")).Json.EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);

            Assert.True(raised.ExitCode == ExitCodes.Ok, raised.Error);
            Assert.Equal(string.Empty, raised.Out);
            Assert.Equal(ExitCodes.Ok, watched.ExitCode);
            Assert.Equal("Completed", JsonDocument.Parse(watched.Out).RootElement.GetProperty("runtimeStatus").GetString());
            Assert.Equal("promoted", record.GetProperty("status").GetString());
            Assert.Contains("by a person", record.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Pipelines_events_with_data_that_is_not_json_exits_2_before_sending()
    {
        await using var app = new FlywheelApp();

        // No such pipeline: had the event been sent, the answer would be a 404 and exit 3.
        var result = await CliRun.RunAsync(app, "pipelines", "events", "no-such-pipeline", "promote", "--data", "{not json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--data", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Polls <c>retrain status</c> until retraining <paramref name="id"/> has taken <paramref name="step"/>.</summary>
    private static async Task WaitForStepAsync(FlywheelApp app, string id, string step)
    {
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            var record = (await CliRun.RunAsync(app, "retrain", "status", Model, "-o", "json")).Json.EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);
            if (record.GetProperty("steps").EnumerateArray().Any(s => s.GetProperty("step").GetString() == step))
            {
                return;
            }

            Assert.False(record.TryGetProperty("finished", out _), $"retraining {id} ended before {step}: {record}");
            await Task.Delay(100);
        }

        Assert.Fail($"retraining {id} never reached {step}");
    }

    private static async Task<string> PolicyFileAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, HoldingPolicy);
        return file;
    }
}
