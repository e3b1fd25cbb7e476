using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Flywheel.Contracts.Training;
using Flywheel.Pipelines.Training;
using Flywheel.Testing;
using Flywheel.Tests.Datasets;
using Flywheel.Tests.Pipelines;
using Flywheel.Training;
using Flywheel.Training.Search;
using Flywheel.Training.Tracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Flywheel.Tests.Training;

/// <summary>What a training run survives: a trainer that throws, a terminate, a killed host; and what its files must pass outside Flywheel (onnx.checker, a browser).</summary>
public sealed partial class TrainingRobustnessTests(TrainingDatasets data, ITestOutputHelper output) : IClassFixture<TrainingDatasets>
{
    [Fact]
    public async Task A_trainer_that_throws_fails_its_trial_as_a_failed_run_not_the_activity()
    {
        var plan = await data.Planner.PlanAsync(new TrainingRequest { Model = "throws", Dataset = "titanic", Label = "survived", Features = ["pclass", "sex", "age", "fare"] }, CancellationToken.None);
        var split = await data.Services.GetRequiredService<DataSplitter>().SplitAsync(plan, CancellationToken.None);
        var frames = await data.Services.GetRequiredService<TrainingFrames>().WriteAsync(plan, split, CancellationToken.None);
        var runs = data.Services.GetRequiredService<RunStore>();
        var activity = new TrainTrial(data.Services.GetRequiredService<TrainingFrames>(), runs, TimeProvider.System, NullLogger<TrainTrial>.Instance);
        var pipeline = Guid.NewGuid().ToString("N");

        // LightGBM refuses a tree of one leaf.
        var outcome = await activity.RunAsync(null!, new TrialWork(pipeline, plan, new Flywheel.Pipelines.Training.TrainingData(split, frames),
            new TrialPlan(0, new TrialSpec("lightgbm", new Dictionary<string, double> { ["leaves"] = 1 }), 0)));

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.False(string.IsNullOrEmpty(outcome.Error));
        var run = await runs.GetAsync(RunRecord.IdFor(pipeline, 0), CancellationToken.None);
        Assert.Equal(RunStatus.Failed, run!.Status);
        Assert.Equal(outcome.Error, run.Error);
        Assert.NotNull(run.EndTime);
    }

    [Theory]
    [InlineData("titanic", "survived", "lightgbm")]
    [InlineData("adult", "relationship", "linear")]
    [InlineData("bikes", "cnt", "fasttree")]
    public async Task Exported_models_pass_the_onnx_checker(string dataset, string label, string trainer)
    {
        var plan = await data.Planner.PlanAsync(new TrainingRequest
        {
            Model = "checked", Dataset = dataset, Label = label, Exclude = dataset == "bikes" ? ["instant", "dteday", "casual", "registered"] : [],
        }, CancellationToken.None);
        var split = await data.Services.GetRequiredService<DataSplitter>().SplitAsync(plan, CancellationToken.None);
        var frames = data.Services.GetRequiredService<TrainingFrames>();
        var local = await frames.LocalAsync(await frames.WriteAsync(plan, split, CancellationToken.None), CancellationToken.None);
        var onnx = CandidateExport.Export(plan, CandidateTrainer.Fit(plan, split.Classes, new TrialSpec(trainer, new Dictionary<string, double>()), local.Train), local.Validation);
        var path = Path.Combine(Path.GetTempPath(), $"flywheel-check-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(path, onnx);
        try
        {
            // Not full_check: onnx's strict shape inference rejects every ZipMap output, scikit-learn's own exports included.
            var (code, text) = await ExternalTools.RunAsync("/usr/bin/python3", "-c", "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1])); print('ok')", path);
            Assert.True(code == 0, text);
            Assert.Contains("ok", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_report_loads_in_chromium_without_errors_and_shows_the_leaderboard()
    {
        await using var app = await TrainingPipelineTests.TitanicAppAsync();
        using var client = app.CreateClient();
        var end = await TrainingPipelineTests.TrainAsync(client, """{"model": "reported", "dataset": "titanic", "label": "survived", "features": ["pclass", "sex", "age", "fare", "embarked"], "trials": 4}""");
        var html = await client.GetStringAsync(new Uri($"api/pipelines/{end.GetProperty("instanceId").GetString()}/report.html", UriKind.Relative));
        var dom = await ExternalTools.RenderAsync(html, "training-report");

        Assert.Contains("id=\"leaderboard\"", dom, StringComparison.Ordinal);
        Assert.Equal(5, Regex.Matches(dom[dom.IndexOf("id=\"leaderboard\"", StringComparison.Ordinal)..], "<tr").Count - Regex.Matches(dom[dom.IndexOf("id=\"roc\"", StringComparison.Ordinal)..], "<tr").Count);
        Assert.DoesNotMatch("CONSOLE\\(\\d+\\)|Uncaught|Failed to load resource", dom);
    }

    [Fact]
    public async Task A_run_with_fewer_than_100_test_rows_warns_in_its_output_as_its_report_does()
    {
        await using var app = await TrainingPipelineTests.TitanicAppAsync();
        using var client = app.CreateClient();
        var end = await TrainingPipelineTests.TrainAsync(client, """{"model": "warned", "dataset": "titanic", "label": "survived", "features": ["pclass", "sex", "age", "fare"], "trainers": ["linear"], "trials": 1}""");
        var output = end.GetProperty("output");
        var testRows = output.GetProperty("gate").GetProperty("rows").GetProperty("test").GetInt32();
        var html = await client.GetStringAsync(new Uri($"api/pipelines/{end.GetProperty("instanceId").GetString()}/report.html", UriKind.Relative));

        var warning = Assert.Single(output.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.StartsWith($"Only {testRows} test rows", warning, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(warning), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_can_be_terminated_while_it_searches()
    {
        await using var app = await TrainingPipelineTests.TitanicAppAsync();
        using var client = app.CreateClient();
        var (_, started) = await TrainingPipelineTests.PostAsync(client, "api/pipelines/training", """{"model": "stopped", "dataset": "titanic", "label": "survived", "trials": 60}""");
        var id = started.GetProperty("id").GetString()!;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await client.StatusAsync(id)).GetProperty("customStatus") is var s && (s.ValueKind != JsonValueKind.Object || s.GetProperty("step").GetString() != "searching"))
        {
            Assert.True(DateTime.UtcNow < deadline, s.ToString());
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await TrainingPipelineTests.PostAsync(client, $"api/pipelines/{id}/terminate", string.Empty)).Status);
        var end = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(1));
        Assert.Equal("Terminated", end.GetProperty("runtimeStatus").GetString());
    }

    [Fact]
    public async Task A_killed_LocalHost_finishes_the_run_after_restart_without_training_finished_trials_again()
    {
        var settings = RestartableHost.Settings("Flywheel__Pipelines__TrainingParallelism", "1");
        const int trials = 24;
        string id;
        int doneBeforeKill;
        HashSet<int> trainedBefore;
        await using (var first = await LocalHostProcess.StartAsync(Azurite.ConnectionString, settings))
        {
            Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(first.Client, "titanic", File.ReadAllBytes(DatasetFiles.Titanic), "titanic.csv")).Status);
            var (_, started) = await TrainingPipelineTests.PostAsync(first.Client, "api/pipelines/training",
                $$"""{"model": "survivor", "dataset": "titanic", "label": "survived", "trials": {{trials}}, "promotion": "never"}""");
            id = started.GetProperty("id").GetString()!;
            doneBeforeKill = 0;
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (doneBeforeKill < 3)
            {
                Assert.True(DateTime.UtcNow < deadline, first.Output);
                var status = await first.Client.StatusAsync(id);
                doneBeforeKill = status.GetProperty("customStatus") is { ValueKind: JsonValueKind.Object } progress ? progress.GetProperty("trialsDone").GetInt32() : 0;
                await Task.Delay(20);
            }

            await first.KillAsync();
            trainedBefore = Trained(first.Output);
        }

        await using var second = await LocalHostProcess.StartAsync(Azurite.ConnectionString, settings);
        var end = await second.Client.WaitForEndAsync(id, TimeSpan.FromMinutes(3));
        var trainedAfter = Trained(second.Output);
        output.WriteLine($"trials done before the kill: {doneBeforeKill}; trained by the killed process: {trainedBefore.Count}; after the restart: {trainedAfter.Count} of {trials}");

        Assert.True(end.GetProperty("runtimeStatus").GetString() == "Completed", end.ToString());
        Assert.Equal(trials, end.GetProperty("output").GetProperty("trialsDone").GetInt32());
        Assert.True(doneBeforeKill < trials, "The run finished before the kill: the test proved nothing.");
        Assert.Equal(Enumerable.Range(0, trials), trainedBefore.Union(trainedAfter).Order());
        Assert.True(trainedAfter.Count <= trials - doneBeforeKill, $"{trainedAfter.Count} trials trained after the restart, {doneBeforeKill} were done before the kill.");
        var runs = JsonDocument.Parse(await second.Client.GetStringAsync(new Uri($"api/runs?pipeline={id}&pageSize=1000", UriKind.Relative))).RootElement.GetProperty("items");
        Assert.Equal(trials, runs.GetArrayLength());
    }

    private static HashSet<int> Trained(string log) =>
        [.. TrainedLine().Matches(log).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"trained trial (\d+) ")]
    private static partial Regex TrainedLine();
}
