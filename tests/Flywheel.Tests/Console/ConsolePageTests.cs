using System.Net;
using System.Text.Json;
using Flywheel.Tests.Pipelines;
using Flywheel.Tests.Training;

namespace Flywheel.Tests.Console;

/// <summary>
/// Every console page in a real browser against a seeded LocalHost: it renders without script errors, shows the
/// seeded data, and the pipelines page's Approve button lets a manual training through (the canary's buttons are
/// in <see cref="ConsoleCanaryTests"/>, on a site of their own since they change the model's policy and data).
/// </summary>
public sealed class ConsolePageTests(ConsoleSite site) : IClassFixture<ConsoleSite>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private const string Model = ConsoleSite.Model;

    [Fact]
    public async Task Every_page_renders_the_seeded_data_without_script_errors()
    {
        (string Path, string Shot, string[] Shows)[] pages =
        [
            ("console", "home.png", ["Datasets", "Retraining"]),
            ("console/datasets", "datasets.png", [ConsoleSite.Dataset]),
            ($"console/datasets/{ConsoleSite.Dataset}", "dataset.png", ["Profile of v2", "No schema change from v1 to v2", "sepal_length", "Quarantine", "Drift between two versions"]),
            ("console/models", "models.png", [Model, "champion → v1"]),
            ($"console/models/{Model}", "model.png", ["v1", "Which version was champion when", "by version", "macro-accuracy", "model card"]),
            ($"console/runs#model={Model}&orderBy=metrics.macro-accuracy%20desc", "runs.png", ["lightgbm", "macro-accuracy", "best on page"]),
            ("console/pipelines", "pipelines.png", ["training", "Completed"]),
            ($"console/serving/{Model}", "serving.png", ["champion alias", "Latency p99"]),
            ("console/monitoring", "monitoring.png", [Model, "Drifted columns", "open"]),
            ($"console/monitoring/{Model}", "monitoring-model.png", ["Drift per feature over time", "sepal_width"]),
            ($"console/retraining/{Model}", "retraining.png", ["No policy", "No retraining yet"]),
        ];

        var results = await ConsoleBrowser.BrowseAsync(pages.Select(p => new ConsoleBrowser.Step(site.Url(p.Path), p.Shot)));

        foreach (var (page, result) in pages.Zip(results))
        {
            Assert.True(result.Errors.Count == 0, $"{page.Path}: {string.Join("; ", result.Errors)}");
            // The one expected failed load: a model without a retraining policy answers 404 to GET .../policy.
            Assert.True(result.FailedLoads.All(f => f.EndsWith($"/api/models/{Model}/policy", StringComparison.Ordinal)), $"{page.Path}: {string.Join("; ", result.FailedLoads)}");
            Assert.All(page.Shows, shown => Assert.True(result.Text.Contains(shown, StringComparison.Ordinal), $"{page.Path} does not show '{shown}':\n{result.Text}"));
            Assert.True(File.Exists(Path.Combine(ConsoleBrowser.Artifacts, page.Shot)), page.Shot);
        }
    }

    [Fact]
    public async Task Approving_a_manual_training_on_the_pipelines_page_promotes_it()
    {
        var model = $"approved-{Guid.NewGuid():N}"[..16];
        var (_, started) = await TrainingPipelineTests.PostAsync(site.Client, "api/pipelines/training", $$$"""
            {"model": "{{{model}}}", "dataset": "{{{ConsoleSite.Dataset}}}", "label": "species", "trials": 1, "trainers": ["lightgbm"], "promotion": "manual", "approvalTimeout": "PT10M", "gate": {"minRows": 1}}
            """);
        var id = started.GetProperty("id").GetString()!;
        await AwaitingApprovalAsync(id);

        var result = await ConsoleBrowser.BrowseAsync(new ConsoleBrowser.Step(site.Url("console/pipelines"), "pipelines-approve.png", Click: "Approve", Within: $"tr[data-id='{id}']"));

        Assert.True(result.Errors.Count == 0, string.Join("; ", result.Errors));
        Assert.Equal("Approve: sent", result.Sent);
        var end = await site.Client.WaitForEndAsync(id, Patience);
        Assert.Equal("promoted", end.GetProperty("output").GetProperty("promotion").GetString());
        Assert.Contains("approved", end.GetProperty("output").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private async Task AwaitingApprovalAsync(string id)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var status = await site.Client.StatusAsync(id);
            if (status.GetProperty("customStatus") is { ValueKind: JsonValueKind.Object } custom && custom.GetProperty("step").GetString() == "awaiting-approval")
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline && status.GetProperty("runtimeStatus").GetString() is "Pending" or "Running", status.ToString());
            await Task.Delay(200);
        }
    }
}
