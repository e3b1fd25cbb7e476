using System.Globalization;
using Flywheel.EndToEnd.Tests.Hosts;
using Flywheel.Testing;

namespace Flywheel.EndToEnd.Tests.Scenarios;

/// <summary>Scenarios that stop storage, kill a host or change its settings: each starts both hosts of its own.</summary>
public sealed class OwnHostScenarios
{
    [Fact]
    public async Task A_storage_outage_is_a_503_with_retry_after_and_both_hosts_recover_when_it_returns()
    {
        var hosts = await BothHosts.StartAsync();
        try
        {
            await BothHosts.SameOnEveryHostAsync(hosts, async s =>
            {
                await ServingScenarios.Register(s, "out-iris", File.ReadAllBytes(TestFiles.IrisModel), "{}");

                // Azurite saves its metadata every 5 s and the stop is a SIGKILL: wait, so the outage loses nothing, as Azure's would not.
                await Task.Delay(TimeSpan.FromSeconds(6));
                await s.Host.Storage.StopAsync();
                var down = await s.GetAsync("api/models/out-iris", 503);
                Assert.Equal("application/problem+json", down.MediaType);
                s.Note($"Retry-After {down.Header("Retry-After")}");
                Assert.NotNull(down.Header("Retry-After"));
                var health = await s.GetStatusAsync("api/health", 503);
                Assert.Equal("unhealthy", health.Json["status"]!.GetValue<string>());
                Assert.StartsWith("failed", health.Json["checks"]!["blobs"]!.GetValue<string>(), StringComparison.Ordinal);
                await s.Host.Storage.StartAsync();
                await s.PollAsync("api/health", r => r.Status == 200, TimeSpan.FromSeconds(60));
                await s.GetAsync("api/models/out-iris", 200);
                await ServingScenarios.Register(s, "out-iris", [.. File.ReadAllBytes(TestFiles.IrisModel), .. "\x32\x02v2"u8.ToArray()], "{}");
            });
        }
        finally
        {
            await DisposeAsync(hosts);
        }
    }

    [Fact]
    public async Task The_monitoring_timer_fires_on_its_schedule_and_starts_each_monitored_models_run_on_both_hosts()
    {
        var hosts = await BothHosts.StartAsync(new Dictionary<string, string>
        {
            ["Flywheel__Monitoring__Schedule"] = "*/2 * * * * *",
            ["MONITORING_SCHEDULE"] = "*/2 * * * * *",
        });
        try
        {
            await BothHosts.SameOnEveryHostAsync(hosts, async s =>
            {
                await s.PutBytesAsync("api/datasets/tm-titanic", TestFiles.Titanic, 201);
                await ServingScenarios.Register(s, "tm-titanic", File.ReadAllBytes(TestFiles.TitanicModel), """{"dataset": {"name": "tm-titanic", "version": 1}}""");
                await s.PutJsonAsync("api/models/tm-titanic/monitoring", """{"schedule": "*/5 * * * * *", "window": "PT1H", "minRows": 1}""", 201);

                // No one calls drift/run: only the timer can have started these.
                var reports = await s.PollAsync("api/models/tm-titanic/drift/history?from=2026-01-01T00:00:00Z",
                    r => r.Status == 200 && r.Text.Contains("\"trigger\":\"schedule", StringComparison.Ordinal), TimeSpan.FromSeconds(60), recordBody: false);
                s.Note("a scheduled report exists");
                Assert.Contains("tm-titanic", reports.Text, StringComparison.Ordinal);
            });
        }
        finally
        {
            await DisposeAsync(hosts);
        }
    }

    [Fact]
    public async Task A_host_killed_during_batch_scoring_finishes_the_run_after_restart_without_scoring_finished_chunks_again()
    {
        const int chunks = 40;
        var hosts = await BothHosts.StartAsync(new Dictionary<string, string> { ["Flywheel__Pipelines__BatchParallelism"] = "2" });
        try
        {
            await BothHosts.SameOnEveryHostAsync(hosts, async s =>
            {
                await s.PutBytesAsync("api/datasets/kill-flowers", TestFiles.Iris(chunks * 100), 201);
                await ServingScenarios.Register(s, "kill-iris", File.ReadAllBytes(TestFiles.IrisModel), """{"featureNames": ["sepal_length", "sepal_width", "petal_length", "petal_width"]}""");
                var started = await s.PostJsonAsync("api/models/kill-iris/batch-predictions", """{"dataset": "kill-flowers", "chunkRows": 100}""", 202);
                var id = started.Json["id"]!.GetValue<string>();

                var progress = await s.PollAsync($"api/pipelines/{id}", r => ChunksDone(r) >= 4, TimeSpan.FromSeconds(120), recordBody: false);
                var doneBeforeKill = ChunksDone(progress);
                await s.Host.KillAsync();
                var scoredBefore = ScoredChunks.In(s.Host.Output);
                await s.Host.RestartAsync();

                var end = await s.WaitForRunAsync(id, TimeSpan.FromSeconds(180));
                Assert.Equal("Completed", end.Json["runtimeStatus"]!.GetValue<string>());
                var scoredAfterRestart = ScoredSinceRestart(s.Host.Output);
                Assert.True(doneBeforeKill < chunks, "The run finished before the kill: the test proved nothing.");
                Assert.Equal(Enumerable.Range(0, chunks), scoredBefore.Union(scoredAfterRestart).Order());

                // Chunks the history recorded before the kill are never scored again; only those in flight may be.
                Assert.True(scoredAfterRestart.Count <= chunks - doneBeforeKill, $"[{s.Host.Kind}] {scoredAfterRestart.Count} chunks scored after the restart, {doneBeforeKill} were done before the kill.");
                var output = await s.GetAsync($"api/pipelines/{id}/output", 200);
                var rows = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0]);
                Assert.Equal(Enumerable.Range(1, chunks * 100).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows);
            });
        }
        finally
        {
            await DisposeAsync(hosts);
        }
    }

    private static int ChunksDone(Reply reply) =>
        reply.Status == 200 && reply.Json["customStatus"]?["chunksDone"] is { } done ? done.GetValue<int>() : 0;

    private static HashSet<int> ScoredSinceRestart(string output) => ScoredChunks.In(output[(output.LastIndexOf("--- killed ---", StringComparison.Ordinal) + 1)..]);

    private static async Task DisposeAsync(IReadOnlyList<HostUnderTest> hosts)
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }
    }
}
