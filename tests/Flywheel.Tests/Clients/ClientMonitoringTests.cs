using Flywheel.Tests.Monitoring;

namespace Flywheel.Tests.Clients;

/// <summary>The monitoring sub-client on a model with logged predictions: a run, the stored report by id, as a page, and in the history.</summary>
public sealed class ClientMonitoringTests
{
    [Fact]
    public async Task A_stored_report_reads_back_by_id_as_json_and_as_its_html_page_and_is_in_the_history()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Serving:PredictionLogFlushInterval"] = "00:00:00.200" });
        using (var http = app.CreateClient())
        {
            await ModelMonitoringApiTests.SetUpAsync(http);
        }

        using var client = ClientApp.ClientFor(app);
        await client.Serving.PredictAsync("survival", new { records = new[] { new { pclass = 1, sex = "female", age = 71, fare = 650.5, embarked = "Q" } } });
        var report = await client.Monitoring.RunAsync("survival");
        for (var attempt = 0; attempt < 100 && report.Inputs.Current.Rows < 1; attempt++)
        {
            await Task.Delay(200);
            report = await client.Monitoring.RunAsync("survival");
        }

        var byId = await client.Monitoring.GetReportAsync("survival", report.Id);
        var page = await client.Monitoring.GetReportHtmlAsync("survival", report.Id);
        var history = await client.Monitoring.HistoryAsync("survival").AllAsync();

        Assert.Equal(1, report.Inputs.Current.Rows);
        Assert.Equal(report.Id, byId.Id);
        // The page, not the report's JSON: the route serves HTML only at the id with .html appended.
        Assert.StartsWith("<!doctype html", page.TrimStart(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(history, r => r.Id == report.Id);
    }
}
