using Flywheel.EndToEnd.Tests.Hosts;

namespace Flywheel.EndToEnd.Tests.Scenarios;

[Collection(BothHostsCollection.Name)]
public sealed class PipelineScenarios(BothHosts hosts)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    private const string Training = """{"dataset": "pl-adult", "label": "income", "exclude": ["fnlwgt"], "trainers": ["linear"], "trials": 1, "seed": 42""";

    [Fact]
    public Task Batch_scoring_training_approval_terminate_and_listing_answer_alike_on_both_hosts() => hosts.SameOnEveryHostAsync(async s =>
    {
        await s.PutBytesAsync("api/datasets/pl-flowers", TestFiles.Iris(2000), 201);
        await ServingScenarios.Register(s, "pl-iris", File.ReadAllBytes(TestFiles.IrisModel), """{"featureNames": ["sepal_length", "sepal_width", "petal_length", "petal_width"]}""");
        var batch = await s.PostJsonAsync("api/models/pl-iris/batch-predictions", """{"dataset": "pl-flowers", "datasetVersion": "latest", "modelVersion": "latest", "chunkRows": 500, "output": "csv"}""", 202);
        var batchId = batch.Json["id"]!.GetValue<string>();
        var batchEnd = await s.WaitForRunAsync(batchId, RunTimeout);
        Assert.Equal("Completed", batchEnd.Json["runtimeStatus"]!.GetValue<string>());
        var output = await s.GetAsync($"api/pipelines/{batchId}/output", 200);
        Assert.Equal(2001, output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        await s.PutBytesAsync("api/datasets/pl-adult", TestFiles.Adult(3000), 201);
        var train = await s.PostJsonAsync("api/pipelines/training", $$"""{"model": "pl-income", {{Training[1..]}}}""", 202);
        var trainId = train.Json["id"]!.GetValue<string>();
        var trained = await s.WaitForRunAsync(trainId, RunTimeout);
        Assert.Equal("Completed", trained.Json["runtimeStatus"]!.GetValue<string>());
        await s.GetAsync($"api/pipelines/{trainId}/report.html", 200);
        await s.GetAsync("api/runs?model=pl-income&orderBy=metrics.auc%20DESC", 200);
        await s.GetAsync("api/models/pl-income/metrics", 200);
        await s.GetAsync("api/models/pl-income/versions/1/card", 200);

        // A saved request with manual promotion: the rerun waits for an approval sent through the events route.
        await s.PutJsonAsync("api/models/pl-income/training", $$"""{{Training}}, "promotion": "manual", "approvalTimeout": "P3D"}""", 201);
        var retrain = await s.PostJsonAsync("api/models/pl-income/train", "", 202);
        var retrainId = retrain.Json["id"]!.GetValue<string>();
        await s.PollAsync($"api/pipelines/{retrainId}", r => r.Text.Contains("awaiting-approval", StringComparison.Ordinal), RunTimeout);
        await s.PostJsonAsync($"api/pipelines/{retrainId}/events/approval", """{"approved": true, "by": "ana", "comment": "report checked"}""", 202);
        var approved = await s.WaitForRunAsync(retrainId, RunTimeout);
        Assert.Equal("Completed", approved.Json["runtimeStatus"]!.GetValue<string>());

        // A long search, terminated at once.
        var doomed = await s.PostJsonAsync("api/pipelines/training", """{"model": "pl-doomed", "dataset": "pl-adult", "label": "income", "trainers": ["lightgbm"], "trials": 50, "seed": 1}""", 202);
        var doomedId = doomed.Json["id"]!.GetValue<string>();
        await s.PostJsonAsync($"api/pipelines/{doomedId}/terminate?reason=e2e", "", 202);
        var terminated = await s.WaitForRunAsync(doomedId, RunTimeout);
        Assert.Equal("Terminated", terminated.Json["runtimeStatus"]!.GetValue<string>());
        await s.PostJsonAsync($"api/pipelines/{doomedId}/terminate", "", 409);

        var listed = await s.GetAsync("api/pipelines?status=Completed&name=BatchScoringOrchestration", 200);
        Assert.Contains(batchId, listed.Text, StringComparison.Ordinal);
        await s.GetAsync("api/pipelines?status=Sleeping", 400);
        await s.GetAsync("api/pipelines/no-such-run", 404);
    });
}
