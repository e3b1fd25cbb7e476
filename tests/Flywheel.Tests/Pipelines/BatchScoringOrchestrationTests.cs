using System.Text;
using Flywheel.Contracts.Pipelines;
using Flywheel.Contracts.Registry;
using Flywheel.Datasets.Ingest;
using Flywheel.Pipelines;
using Flywheel.Pipelines.BatchScoring;
using Flywheel.Registry;
using Flywheel.Testing;
using Flywheel.Tests.Registry;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Tests.Pipelines;

/// <summary>The orchestration and its activities on Microsoft.DurableTask's in-process engine, with the real services on Azurite.</summary>
public sealed class BatchScoringOrchestrationTests
{
    [Fact]
    public async Task Orchestration_scores_every_chunk_and_reports_progress_and_the_output_file()
    {
        await using var host = await StartAsync();
        await SeedAsync(host, IrisData.Csv(450));

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(PipelineTasks.BatchScoring, Start(new BatchScoringRequest { Model = "iris", Dataset = "flowers", ChunkRows = 100 }));
        var end = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, end.RuntimeStatus);
        var result = end.ReadOutputAs<BatchScoringResult>()!;
        Assert.Equal(450, result.Rows);
        Assert.Equal(("iris", 1, "flowers", 1), (result.Model, result.ModelVersion, result.Dataset, result.DatasetVersion));
        Assert.Equal(new BatchScoringProgress(BatchScoringStep.Completed, 5, 5, 450), end.ReadCustomStatusAs<BatchScoringProgress>());
        var blob = await host.Services.GetRequiredService<BatchOutputBlobs>().BlobAsync(result.Blob["predictions/".Length..], CancellationToken.None);
        var lines = (await blob.DownloadContentAsync()).Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(451, lines.Length);
        Assert.StartsWith("450,1,", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Orchestration_fails_at_the_plan_naming_the_column_the_dataset_lacks()
    {
        await using var host = await StartAsync();
        await SeedAsync(host, "sepal_length,sepal_width,petal_length\n1,2,3\n");

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(PipelineTasks.BatchScoring, Start(new BatchScoringRequest { Model = "iris", Dataset = "flowers" }));
        var end = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, end.RuntimeStatus);
        Assert.Contains("lacks column(s) 'petal_width'", end.FailureDetails!.ToString(), StringComparison.Ordinal);
        Assert.Equal(BatchScoringStep.Planning, end.ReadCustomStatusAs<BatchScoringProgress>()!.Step);
    }

    // One attempt: the failing test must not wait for retries of a failure that cannot heal.
    private static BatchScoringStart Start(BatchScoringRequest request) => new(request, Parallelism: 2, ActivityAttempts: 1);

    private static Task<DurableTaskTestHost> StartAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Flywheel:Storage:NamePrefix"] = $"o{Guid.NewGuid():N}"[..12],
        }).Build();
        return DurableTaskTestHost.StartAsync(
            registry => registry.AddFlywheelTasks(),
            new DurableTaskTestHostOptions { Port = FreePort.Next(), ConfigureServices = services => services.AddLogging().AddFlywheel(configuration) });
    }

    private static async Task SeedAsync(DurableTaskTestHost host, string csv)
    {
        var ingest = await host.Services.GetRequiredService<DatasetIngestor>().IngestAsync("flowers", new MemoryStream(Encoding.UTF8.GetBytes(csv)), "test", CancellationToken.None);
        Assert.Equal(IngestStatus.Created, ingest.Status);
        await host.Services.GetRequiredService<ModelRegistry>().RegisterAsync("iris", ModelFiles.Bytes(ModelFiles.IrisZipMap),
            new ModelRegistration { FeatureNames = IrisData.Features }, "test", CancellationToken.None);
    }
}
