using System.Text.Json;
using Flywheel.Cli;
using Flywheel.Tests.Monitoring;

namespace Flywheel.Tests.Cli;

/// <summary><c>flywheel monitor ...</c> on a model whose predictions the CLI itself sent and the serving log recorded.</summary>
public sealed class MonitoringCliTests
{
    private static readonly Dictionary<string, string?> s_quickLog = new() { ["Flywheel:Serving:PredictionLogFlushInterval"] = "00:00:00.200" };

    // Passengers older than the training rows, all boarding at Queenstown: traffic that drifts.
    private const string OlderPassengers = "pclass,sex,age,fare,embarked\n1,female,71,650.5,Q\n1,male,80,700,Q\n1,female,66,612.25,Q\n1,male,75,790,Q\n";

    [Fact]
    public async Task Monitor_run_reports_on_the_logged_predictions_and_monitor_history_lists_the_report()
    {
        await using var app = new FlywheelApp(s_quickLog);
        await LoggedTrafficAsync(app);

        var report = await RunUntilLoggedAsync(app, rows: 4);
        var history = (await CliRun.RunAsync(app, "monitor", "history", "survival", "-o", "json")).Json;
        var latest = (await CliRun.RunAsync(app, "monitor", "show", "survival", "-o", "json")).Json;

        Assert.Equal(4, report.GetProperty("inputs").GetProperty("current").GetProperty("rows").GetInt64());
        Assert.Equal("titanic", report.GetProperty("inputs").GetProperty("reference").GetProperty("name").GetString());
        Assert.Contains(history.EnumerateArray(), r => r.GetProperty("id").GetString() == report.GetProperty("id").GetString());
        Assert.Equal(report.GetProperty("id").GetString(), latest.GetProperty("id").GetString());
    }

    /// <summary>The titanic pipeline registered as <c>survival</c> with its training data, then scored through <c>flywheel predict</c>.</summary>
    internal static async Task LoggedTrafficAsync(FlywheelApp app)
    {
        using (var client = app.CreateClient())
        {
            await ModelMonitoringApiTests.SetUpAsync(client);
        }

        var rows = Path.Combine(Path.GetTempPath(), $"older-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(rows, OlderPassengers);
        try
        {
            var predicted = await CliRun.RunAsync(app, "predict", "survival", "--file", rows, "-o", "json");
            Assert.True(predicted.ExitCode == ExitCodes.Ok, predicted.Error);
        }
        finally
        {
            File.Delete(rows);
        }
    }

    /// <summary>Runs <c>monitor run</c> until the prediction log has flushed <paramref name="rows"/> rows, and returns that report.</summary>
    internal static async Task<JsonElement> RunUntilLoggedAsync(FlywheelApp app, long rows)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var report = (await CliRun.RunAsync(app, "monitor", "run", "survival", "-o", "json")).Json;
            if (report.GetProperty("inputs").GetProperty("current").GetProperty("rows").GetInt64() >= rows)
            {
                return report;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the prediction log never held {rows} rows");
        return default;
    }
}
