using System.Net;
using System.Text.Json;
using Flywheel.Client;
using Flywheel.Client.Training;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Pipelines;
using Flywheel.Contracts.Retraining;
using Flywheel.Contracts.Training;
using Flywheel.Tests.Datasets;

namespace Flywheel.Tests.Clients;

public sealed class ClientPipelineTests
{
    private static readonly Dictionary<string, string?> s_engineOn = new() { ["Flywheel:LocalEngine:Enabled"] = "true" };

    private static TrainingRequest Survival(PromotionPolicy promotion) => new()
    {
        Model = "survival",
        Dataset = "titanic",
        Label = "survived",
        Features = ["pclass", "sex", "age", "fare", "embarked"],
        Trials = 2,
        Seed = 7,
        Promotion = promotion,
    };

    [Fact]
    public async Task A_training_is_waited_for_with_progress_and_its_trials_searched_as_runs()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = ClientApp.ClientFor(app);
        await client.Datasets.PushFileAsync("titanic", DatasetFiles.Titanic);
        var seen = new List<PipelineStatus>();

        var operation = await client.Training.StartAsync(Survival(PromotionPolicy.IfBetter));
        var end = await operation.WaitForCompletionAsync(new InlineProgress<PipelineStatus>(seen.Add));

        Assert.Equal(PipelineRuntimeStatus.Completed, end.RuntimeStatus);
        Assert.Equal(operation.Id, end.InstanceId);
        Assert.Same(end, seen[^1]);
        Assert.Equal("promoted", end.Output!.Value.GetProperty("promotion").GetString());
        Assert.Contains(await client.Pipelines.ListAsync(new() { Statuses = [PipelineRuntimeStatus.Completed] }).AllAsync(), p => p.InstanceId == operation.Id);
        var runs = await client.Runs.ListAsync(new RunQuery(Model: "survival", OrderBy: "metrics.auc desc", PageSize: 1)).AllAsync();
        Assert.Equal(2, runs.Count);
        Assert.Equal(runs[0].RunId, (await client.Runs.GetAsync(runs[0].RunId)).RunId);
        Assert.Equal(1, (await client.Models.GetAsync("survival")).Aliases["champion"]);
        Assert.Contains("<html", await client.Training.GetReportAsync(operation.Id), StringComparison.OrdinalIgnoreCase);

        var ended = await Assert.ThrowsAsync<FlywheelRequestException>(() => operation.TerminateAsync("too late"));
        Assert.Equal((HttpStatusCode.Conflict, ProblemTypes.NotRunning), (ended.Status, ended.Code));
    }

    [Fact]
    public async Task A_manual_training_waits_for_the_approval_sent_through_its_operation()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = ClientApp.ClientFor(app);
        await client.Datasets.PushFileAsync("titanic", DatasetFiles.Titanic);
        var operation = await client.Training.StartAsync(Survival(PromotionPolicy.Manual));

        // Cancelling a wait only stops reading: the pipeline goes on to its approval step.
        using (var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => operation.WaitForCompletionAsync(cancellationToken: soon.Token));
        }

        await foreach (var status in client.Pipelines.WatchAsync(operation.Id))
        {
            if (status.CustomStatus?.TryGetProperty("step", out var step) == true && step.GetString() == "awaiting-approval")
            {
                break;
            }
        }

        await operation.ApproveAsync("ana", "looks good");
        var end = await operation.WaitForCompletionAsync();

        Assert.Equal(PipelineRuntimeStatus.Completed, end.RuntimeStatus);
        Assert.Equal("promoted", end.Output!.Value.GetProperty("promotion").GetString());
    }

    [Fact]
    public async Task A_model_without_a_policy_reads_as_none_and_a_policy_needs_the_model_and_its_training_spec()
    {
        await using var app = new FlywheelApp();
        using var client = ClientApp.ClientFor(app);
        await client.Datasets.PushFileAsync("titanic", DatasetFiles.Titanic);

        Assert.Null(await client.Retraining.GetPolicyAsync("survival"));
        Assert.Null(await client.Monitoring.GetLatestAsync("survival"));
        var refused = await Assert.ThrowsAsync<FlywheelRequestException>(() => client.Retraining.SetPolicyAsync("survival", new RetrainingPolicy()));
        Assert.Equal((HttpStatusCode.NotFound, ProblemTypes.NotFound), (refused.Status, refused.Code));

        using (var onnx = File.OpenRead(Registry.ModelFiles.PathOf(Registry.ModelFiles.IrisZipMap)))
        {
            await client.Models.RegisterAsync("survival", onnx);
        }

        await client.Training.SaveSpecAsync("survival", Survival(PromotionPolicy.IfBetter));
        var policy = await client.Retraining.SetPolicyAsync("survival", new RetrainingPolicy());
        Assert.Equal(JsonSerializer.Serialize(policy), JsonSerializer.Serialize(await client.Retraining.GetPolicyAsync("survival")));
        Assert.Empty(await client.Retraining.ListAsync("survival").AllAsync());
    }

    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
