using Flywheel.Testing;
using Xunit.Abstractions;

namespace Flywheel.Tests.Pipelines;

public sealed class BatchScoringRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_killed_LocalHost_resumes_its_batch_run_after_restart_without_scoring_finished_chunks_again()
    {
        var settings = RestartableHost.Settings("Flywheel__Pipelines__BatchParallelism", "2");
        const int chunks = 60;
        string id;
        int doneBeforeKill;
        HashSet<int> scoredBefore;
        await using (var first = await LocalHostProcess.StartAsync(Azurite.ConnectionString, settings))
        {
            await IrisData.UploadAsync(first.Client, "flowers", chunks * 100);
            await IrisData.RegisterModelAsync(first.Client, "iris");
            var (_, started, _) = await first.Client.StartBatchAsync("iris", """{"dataset": "flowers", "chunkRows": 100}""");
            id = started.GetProperty("id").GetString()!;

            doneBeforeKill = 0;
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (doneBeforeKill < 5)
            {
                Assert.True(DateTime.UtcNow < deadline, first.Output);
                var status = await first.Client.StatusAsync(id);
                Assert.Contains(status.GetProperty("runtimeStatus").GetString(), new[] { "Pending", "Running" });
                doneBeforeKill = status.GetProperty("customStatus") is { ValueKind: System.Text.Json.JsonValueKind.Object } progress && progress.TryGetProperty("chunksDone", out var done) ? done.GetInt32() : 0;
                await Task.Delay(50);
            }

            await first.KillAsync();
            scoredBefore = ScoredChunks.In(first.Output);
        }

        await using var second = await LocalHostProcess.StartAsync(Azurite.ConnectionString, settings);
        var end = await second.Client.WaitForEndAsync(id, TimeSpan.FromSeconds(120));
        var scoredAfter = ScoredChunks.In(second.Output);
        output.WriteLine($"done before the kill: {doneBeforeKill}; scored by the killed process: {scoredBefore.Count}; scored after the restart: {scoredAfter.Count} of {chunks}; scored twice: {scoredBefore.Intersect(scoredAfter).Count()}");

        Assert.Equal("Completed", end.GetProperty("runtimeStatus").GetString());
        Assert.Equal(chunks * 100, end.GetProperty("output").GetProperty("rows").GetInt64());
        Assert.True(doneBeforeKill < chunks, "The run finished before the kill: the test proved nothing.");
        Assert.Equal(Enumerable.Range(0, chunks), scoredBefore.Union(scoredAfter).Order());

        // Chunks the history recorded before the kill are never scored again; only those in flight may be.
        Assert.True(scoredAfter.Count <= chunks - doneBeforeKill, $"{scoredAfter.Count} chunks scored after the restart, {doneBeforeKill} were done before the kill.");
        var lines = (await second.Client.GetStringAsync(new Uri($"api/pipelines/{id}/output", UriKind.Relative))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(1, chunks * 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines.Skip(1).Select(l => l.Split(',')[0]));
    }
}
