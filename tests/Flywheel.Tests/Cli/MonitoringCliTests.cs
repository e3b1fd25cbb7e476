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

    [Fact]
    public async Task Monitor_report_saves_the_latest_reports_html_and_prints_its_path_or_writes_its_json_with_o_json()
    {
        await using var app = new FlywheelApp(s_quickLog);
        await LoggedTrafficAsync(app);
        var id = (await RunUntilLoggedAsync(app, rows: 4)).GetProperty("id").GetString()!;

        var saved = await CliRun.RunAsync(app, "monitor", "report", "survival", "-o", "table");
        var json = (await CliRun.RunAsync(app, "monitor", "report", "survival", id, "-o", "json")).Json;

        Assert.Equal(ExitCodes.Ok, saved.ExitCode);
        var path = saved.Out.Trim();
        try
        {
            Assert.Contains(id, Path.GetFileName(path), StringComparison.Ordinal);
            Assert.Contains("<html", await File.ReadAllTextAsync(path), StringComparison.OrdinalIgnoreCase);
            Assert.Equal(id, json.GetProperty("id").GetString());
            Assert.Equal(4, json.GetProperty("inputs").GetProperty("current").GetProperty("rows").GetInt64());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Monitor_report_open_hands_the_saved_page_to_BROWSER()
    {
        await using var app = new FlywheelApp(s_quickLog);
        await LoggedTrafficAsync(app);
        await RunUntilLoggedAsync(app, rows: 4);
        var directory = Directory.CreateTempSubdirectory("flywheel-browser-");
        var opened = Path.Combine(directory.FullName, "opened.txt");
        var browser = Path.Combine(directory.FullName, "browser.sh");
        await File.WriteAllTextAsync(browser, $"#!/bin/sh\nprintf '%s' \"$1\" > '{opened}.tmp' && mv '{opened}.tmp' '{opened}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(browser, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        try
        {
            var result = await CliRun.RunAsync(app, new Dictionary<string, string?> { ["BROWSER"] = browser }, "monitor", "report", "survival", "--open", "-o", "table");

            Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
            // The browser runs on its own; the file it was given appears when it has.
            for (var attempt = 0; attempt < 100 && !File.Exists(opened); attempt++)
            {
                await Task.Delay(100);
            }

            var page = await File.ReadAllTextAsync(opened);
            Assert.Contains(page, result.Out, StringComparison.Ordinal);
            Assert.Contains("<html", await File.ReadAllTextAsync(page), StringComparison.OrdinalIgnoreCase);
            File.Delete(page);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Monitor_report_open_without_a_browser_or_xdg_open_prints_the_saved_path()
    {
        await using var app = new FlywheelApp(s_quickLog);
        await LoggedTrafficAsync(app);
        await RunUntilLoggedAsync(app, rows: 4);

        // No BROWSER, and a PATH with no xdg-open on it.
        var empty = Directory.CreateTempSubdirectory("flywheel-path-");
        var result = await CliRun.RunAsync(app, new Dictionary<string, string?> { ["PATH"] = empty.FullName }, "monitor", "report", "survival", "--open", "-o", "json");
        empty.Delete();

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var path = result.Out.Trim();
        Assert.Contains("<html", await File.ReadAllTextAsync(path), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("set BROWSER", result.Error, StringComparison.Ordinal);
        File.Delete(path);
    }

    [Fact]
    public async Task Monitor_report_of_a_model_without_reports_exits_3()
    {
        await using var app = new FlywheelApp();

        var result = await CliRun.RunAsync(app, "monitor", "report", "survival");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("flywheel monitor run survival", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
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
