using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Contracts.Monitoring;
using Flywheel.Contracts.Retraining;
using Flywheel.Pipelines;
using Flywheel.Retraining;
using Flywheel.Tests.Pipelines;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Tests.Retraining;

/// <summary>A model's retraining policy over HTTP on LocalHost and Azurite: defaults, history, and every mistake a 400 naming its field with nothing stored changed.</summary>
public sealed class RetrainingPolicyTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The iris model registered, trained from the <c>flowers</c> dataset by a saved request.</summary>
    private static async Task<(FlywheelApp App, HttpClient Client)> SeededAsync(bool saveTraining = true)
    {
        var app = new FlywheelApp();
        var client = app.CreateClient();
        await IrisData.SeedAsync(client, 60);
        if (saveTraining)
        {
            var (status, body) = await SendAsync(client, HttpMethod.Put, "api/models/iris/training", """{"dataset": "flowers", "label": "species"}""");
            Assert.True(status == HttpStatusCode.Created, body.ToString());
        }

        return (app, client);
    }

    [Fact]
    public async Task A_minimal_policy_is_complete_its_defaults_are_returned_and_each_change_is_in_the_history()
    {
        var (app, client) = await SeededAsync();
        await using var owned = app;
        using var http = client;

        var (created, policy) = await SendAsync(client, HttpMethod.Put, "api/models/iris/policy", """{"triggers": {"newData": {}}}""");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(1000, policy.GetProperty("triggers").GetProperty("newData").GetProperty("minNewRows").GetInt64());
        Assert.Equal("P1D", policy.GetProperty("cooldown").GetString());
        Assert.Equal("saved", policy.GetProperty("training").GetString());
        Assert.Equal("canary", policy.GetProperty("promotion").GetString());
        Assert.Equal("none", policy.GetProperty("approval").GetString());
        var canary = policy.GetProperty("canary");
        Assert.Equal([5, 25, 50], canary.GetProperty("steps").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal("PT10M", canary.GetProperty("shadowFirst").GetString());
        Assert.Equal("PT5M", canary.GetProperty("interval").GetString());
        Assert.Equal(50, canary.GetProperty("minRequests").GetInt64());
        Assert.Equal(3, canary.GetProperty("failureLimit").GetInt32());
        Assert.Equal("hold", canary.GetProperty("onInconclusive").GetString());
        Assert.Equal("PT6H", canary.GetProperty("maxDuration").GetString());
        Assert.Equal(0.01, canary.GetProperty("checks").GetProperty("errorRate").GetProperty("max").GetDouble());
        Assert.Equal(500, canary.GetProperty("checks").GetProperty("latencyP99Ms").GetProperty("max").GetDouble());

        var (ok, replaced) = await SendAsync(client, HttpMethod.Put, "api/models/iris/policy", """{"triggers": {"drift": {"minShare": 0.3, "consecutive": 2}, "schedule": "0 0 3 * * 1"}, "promotion": "if-better"}""");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal("if-better", replaced.GetProperty("promotion").GetString());
        var (_, read) = await SendAsync(client, HttpMethod.Get, "api/models/iris/policy");
        Assert.Equal(0.3, read.GetProperty("triggers").GetProperty("drift").GetProperty("minShare").GetDouble());
        Assert.False(read.GetProperty("triggers").TryGetProperty("newData", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, HttpMethod.Delete, "api/models/iris/policy")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "api/models/iris/policy")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Delete, "api/models/iris/policy")).Status);
        var (_, history) = await SendAsync(client, HttpMethod.Get, "api/models/iris/history");
        var actions = history.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(2, actions.Count(a => a == "policy-set"));
        Assert.Single(actions, "policy-removed");
        var set = history.GetProperty("items").EnumerateArray().First(e => e.GetProperty("action").GetString() == "policy-set");
        Assert.Contains("newData", set.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"triggers": {"newData": {}}, "cooldwon": "P1D"}""", "cooldwon")]
    [InlineData("""{"canary": {"steps": [5, 50, 25]}}""", "canary.steps must increase")]
    [InlineData("""{"canary": {"steps": [0, 50]}}""", "within 1-99")]
    [InlineData("""{"canary": {"steps": [50, 100]}}""", "within 1-99")]
    [InlineData("""{"canary": {"interval": "5 minutes"}}""", "canary.interval")]
    [InlineData("""{"cooldown": "-P1D"}""", "cooldown")]
    [InlineData("""{"canary": {"interval": "PT1S", "maxDuration": "P1D"}}""", "canary.maxDuration")]
    [InlineData("""{"triggers": {"schedule": "0 3 * * 1"}}""", "triggers.schedule")]
    [InlineData("""{"triggers": {"drift": {"minShare": 1.5}}}""", "triggers.drift.minShare")]
    [InlineData("""{"triggers": {"newData": {"dataset": "nowhere"}}}""", "triggers.newData.dataset")]
    [InlineData("""{"promotion": "sometimes"}""", "promotion")]
    [InlineData("""{"canary": {"failureLimit": 0}}""", "canary.failureLimit")]
    [InlineData("""{"canary": {"checks": {"agreement": {"min": 2}}}}""", "canary.checks.agreement.min")]
    public async Task A_policy_that_is_not_valid_is_a_400_naming_the_field_and_the_stored_policy_stays(string body, string named)
    {
        var (app, client) = await SeededAsync();
        await using var owned = app;
        using var http = client;
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, HttpMethod.Put, "api/models/iris/policy", """{"triggers": {"newData": {"minNewRows": 7}}}""")).Status);

        var (status, problem) = await SendAsync(client, HttpMethod.Put, "api/models/iris/policy", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (_, stored) = await SendAsync(client, HttpMethod.Get, "api/models/iris/policy");
        Assert.Equal(7, stored.GetProperty("triggers").GetProperty("newData").GetProperty("minNewRows").GetInt64());
    }

    [Fact]
    public async Task A_policy_for_a_model_without_a_saved_training_request_or_for_no_model_is_refused()
    {
        var (app, client) = await SeededAsync(saveTraining: false);
        await using var owned = app;
        using var http = client;

        var (status, problem) = await SendAsync(client, HttpMethod.Put, "api/models/iris/policy", """{"triggers": {"newData": {}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("training", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "api/models/iris/policy")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Put, "api/models/nobody/policy", "{}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, HttpMethod.Put, "api/models/Bad_Name/policy", "{}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Post, "api/models/iris/retrainings")).Status);
    }

    [Fact]
    public async Task A_schedule_fires_once_per_occurrence_after_the_policy_was_set_and_a_repeated_fact_adds_nothing()
    {
        var (app, client) = await SeededAsync();
        await using var owned = app;
        using var http = client;
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, HttpMethod.Put, "api/models/iris/policy", """{"triggers": {"schedule": "* * * * * *"}}""")).Status);
        var watcher = app.Services.GetRequiredService<TriggerWatcher>();
        await Task.Delay(1100);
        await watcher.CheckSchedulesAsync(CancellationToken.None);
        await watcher.CheckSchedulesAsync(CancellationToken.None);

        var ledger = app.Services.GetRequiredService<RetrainingLedger>();
        var records = await ledger.ListAsync("iris", CancellationToken.None);
        Assert.InRange(records.Count, 1, 2);
        Assert.All(records, r => Assert.Equal(TriggerKind.Schedule, r.Trigger.Kind));
        Assert.All(records, r => Assert.Equal(RetrainingStatus.Pending, r.Status));
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct().Count());
    }
}

/// <summary>The drift trigger, through the real report store: it fires on the report that completes a run of drifted reports, once.</summary>
public sealed class DriftTriggerTests
{
    private static ModelMonitoringReport Report(string model, DateTimeOffset end, double share, DriftVerdict verdict)
    {
        var id = Flywheel.Monitoring.MonitoringScheduler.ReportId(end);
        var inputs = new DriftReport(new DriftSide("flowers", 1, null, 60), new DriftSide(model, null, null, 500, end.AddHours(-1), end),
            10, (int)(share * 10), share, 0.5, share >= 0.5, [], new Dictionary<string, string>());
        return new ModelMonitoringReport(id, model, 1, MonitoringTrigger.Schedule, end, verdict, inputs, [], [], null, null, []);
    }

    [Fact]
    public async Task Drift_fires_on_the_report_that_completes_the_consecutive_run_and_not_on_quiet_or_thin_reports()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await IrisData.SeedAsync(client, 60);
        using (var spec = new StringContent("""{"dataset": "flowers", "label": "species"}""", Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync(new Uri("api/models/iris/training", UriKind.Relative), spec)).StatusCode);
        }

        using (var policy = new StringContent("""{"triggers": {"drift": {"minShare": 0.5, "consecutive": 2}}}""", Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync(new Uri("api/models/iris/policy", UriKind.Relative), policy)).StatusCode);
        }

        var reports = app.Services.GetRequiredService<Flywheel.Monitoring.Reports.MonitoringReports>();
        var ledger = app.Services.GetRequiredService<RetrainingLedger>();
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        await reports.SaveAsync(Report("iris", start, 0.3, DriftVerdict.NoDrift), CancellationToken.None);
        await reports.SaveAsync(Report("iris", start.AddHours(1), 0.6, DriftVerdict.Drift), CancellationToken.None);
        Assert.Empty(await ledger.ListAsync("iris", CancellationToken.None));

        var second = Report("iris", start.AddHours(2), 0.7, DriftVerdict.Drift);
        await reports.SaveAsync(second, CancellationToken.None);
        var fired = Assert.Single(await ledger.ListAsync("iris", CancellationToken.None));
        Assert.Equal(TriggerKind.Drift, fired.Trigger.Kind);
        Assert.Equal($"drift-{second.Id}", fired.Trigger.Key);
        Assert.Equal(second.Id, fired.Trigger.Evidence["report"]);
        Assert.Equal(RetrainingStatus.Pending, fired.Status);

        // The same report stored again (an activity retried) is the same fact; a report with too few rows to judge is no evidence.
        await reports.SaveAsync(second, CancellationToken.None);
        await reports.SaveAsync(Report("iris", start.AddHours(3), 0.9, DriftVerdict.NotEnoughData), CancellationToken.None);
        Assert.Single(await ledger.ListAsync("iris", CancellationToken.None));
    }
}
