using System.Text.Json;
using Flywheel.Cli;
using Flywheel.Tests.Datasets;

namespace Flywheel.Tests.Cli;

/// <summary><c>flywheel train</c> and <c>flywheel pipelines</c> on LocalHost's pipeline engine.</summary>
public sealed class TrainCliTests
{
    private static readonly Dictionary<string, string?> s_engineOn = new() { ["Flywheel:LocalEngine:Enabled"] = "true" };

    [Fact]
    public async Task Train_no_wait_returns_the_pipeline_id_and_pipelines_watch_follows_it_to_completion()
    {
        await using var app = new FlywheelApp(s_engineOn);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(app, "datasets", "push", DatasetFiles.Titanic, "--name", "titanic")).ExitCode);

        var started = (await CliRun.RunAsync(app, "train", "--model", "survival", "--dataset", "titanic", "--label", "survived", "--trials", "2",
            "--feature", "pclass", "--feature", "sex", "--feature", "age", "--no-wait", "-o", "json")).Json;
        var id = started.GetProperty("id").GetString()!;
        var watched = await CliRun.RunAsync(app, "pipelines", "watch", id, "-o", "json");
        var runs = (await CliRun.RunAsync(app, "runs", "list", "--pipeline", id, "--order-by", "metrics.auc desc", "-o", "json")).Json;
        var table = await CliRun.RunAsync(app, "pipelines", "show", id, "-o", "table");

        var end = watched.Json;
        Assert.Equal(id, end.GetProperty("instanceId").GetString());
        Assert.Equal("Completed", end.GetProperty("runtimeStatus").GetString());
        Assert.Equal(2, end.GetProperty("customStatus").GetProperty("trialsDone").GetInt32());
        // The first model of a name has no champion to beat: it is promoted, and the exit code says ok.
        Assert.Equal("promoted", end.GetProperty("output").GetProperty("promotion").GetString());
        Assert.Equal(2, runs.GetArrayLength());
        // The table's progress line is the live line a terminal shows while it runs, read from the custom status.
        Assert.Contains("trials 2/2", table.Out, StringComparison.Ordinal);
        Assert.Contains("best auc ", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_c_while_watching_detaches_without_cancelling_and_pipelines_cancel_terminates_the_training()
    {
        await using var app = new FlywheelApp(s_engineOn);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(app, "datasets", "push", DatasetFiles.Titanic, "--name", "titanic")).ExitCode);
        var id = (await CliRun.RunAsync(app, "train", "--model", "survival", "--dataset", "titanic", "--label", "survived", "--trials", "60", "--no-wait")).Json
            .GetProperty("id").GetString()!;

        var detached = await CliRun.RunAsync(CliRun.Over(app), terminal: false, new CancellationToken(canceled: true), "pipelines", "watch", id);
        var running = (await CliRun.RunAsync(app, "pipelines", "show", id)).Json;
        var cancelled = await CliRun.RunAsync(app, "pipelines", "cancel", id, "--reason", "test");
        var end = await CliRun.RunAsync(app, "pipelines", "watch", id);

        Assert.Equal(ExitCodes.Ok, detached.ExitCode);
        Assert.Contains($"flywheel pipelines watch {id}", detached.Error, StringComparison.Ordinal);
        Assert.Contains($"flywheel pipelines cancel {id}", detached.Error, StringComparison.Ordinal);
        Assert.Contains(running.GetProperty("runtimeStatus").GetString(), new[] { "Pending", "Running" });
        Assert.True(cancelled.ExitCode == ExitCodes.Ok, cancelled.Error);
        // A terminated pipeline is a failure to a CI step waiting on it.
        Assert.Equal(ExitCodes.Failure, end.ExitCode);
        Assert.Equal("Terminated", JsonDocument.Parse(end.Out).RootElement.GetProperty("runtimeStatus").GetString());
    }

    [Theory]
    [InlineData("approve", ExitCodes.Ok, "promoted")]
    [InlineData("reject", ExitCodes.Rejected, "rejected")]
    public async Task A_manual_training_waits_for_pipelines_approve_or_reject_and_watch_exits_with_the_decision(string decision, int exitCode, string promotion)
    {
        await using var app = new FlywheelApp(s_engineOn);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(app, "datasets", "push", DatasetFiles.Titanic, "--name", "titanic")).ExitCode);
        var id = (await CliRun.RunAsync(app, "train", "--model", "survival", "--dataset", "titanic", "--label", "survived", "--trials", "2",
            "--promotion", "manual", "--no-wait", "-o", "json")).Json.GetProperty("id").GetString()!;
        await WaitForStepAsync(app, id, "awaiting-approval");

        var decided = await CliRun.RunAsync(app, "pipelines", decision, id, "--by", "ana", "--comment", "checked the card");
        var watched = await CliRun.RunAsync(app, "pipelines", "watch", id, "-o", "json");

        Assert.True(decided.ExitCode == ExitCodes.Ok, decided.Error);
        Assert.Equal(exitCode, watched.ExitCode);
        var end = JsonDocument.Parse(watched.Out).RootElement;
        Assert.Equal("Completed", end.GetProperty("runtimeStatus").GetString());
        Assert.Equal(promotion, end.GetProperty("output").GetProperty("promotion").GetString());
    }

    /// <summary>Polls <c>pipelines show</c> until the pipeline's custom status names <paramref name="step"/>; fails the test if it ends first.</summary>
    internal static async Task WaitForStepAsync(FlywheelApp app, string id, string step)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var status = (await CliRun.RunAsync(app, "pipelines", "show", id, "-o", "json")).Json;
            if (status.TryGetProperty("customStatus", out var custom) && custom.ValueKind == JsonValueKind.Object
                && custom.TryGetProperty("step", out var now) && now.GetString() == step)
            {
                return;
            }

            Assert.Contains(status.GetProperty("runtimeStatus").GetString(), new[] { "Pending", "Running" });
            await Task.Delay(100);
        }

        Assert.Fail($"pipeline {id} never reached step {step}");
    }
}
