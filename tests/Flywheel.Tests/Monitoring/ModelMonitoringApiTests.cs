using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Api.Monitoring;
using Flywheel.Api.Pipelines;
using Flywheel.Monitoring;
using Flywheel.Pipelines;
using Flywheel.Tests.Datasets;
using Flywheel.Tests.Pipelines;
using Flywheel.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Flywheel.Tests.Monitoring;

/// <summary>
/// Model monitoring over HTTP on LocalHost: the titanic pipeline registered with its training data
/// (lineage), predictions logged by both protocols, feedback, on-demand and scheduled runs, stored
/// reports and history, settings, and the 4xx answers.
/// </summary>
public sealed class ModelMonitoringApiTests
{
    private static readonly Dictionary<string, string?> s_quickLog = new() { ["Flywheel:Serving:PredictionLogFlushInterval"] = "00:00:00.200" };

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null, string? requestId = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (requestId is not null)
        {
            request.Headers.Add("X-Request-Id", requestId);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 || response.Content.Headers.ContentType?.MediaType == "text/html" ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    internal static async Task SetUpAsync(HttpClient client)
    {
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "titanic", File.ReadAllBytes(DatasetFiles.Titanic), "titanic.csv")).Status);
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(ModelFiles.Bytes(ModelFiles.TitanicPipeline)), "file", "model.onnx");
        form.Add(new StringContent("""{"dataset": {"name": "titanic", "version": 1}}""", Encoding.UTF8, "application/json"), "metadata");
        using var response = await client.PostAsync(new Uri("api/models/survival/versions", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Passengers about 40 years older than the training rows, paying far more, all boarding at Queenstown (never seen in training), in three requests of 60; returns the request ids.</summary>
    private static async Task<List<string>> PredictOlderPassengersAsync(HttpClient client)
    {
        var random = new Random(3);
        var ids = new List<string>();
        for (var request = 0; request < 3; request++)
        {
            var records = Enumerable.Range(0, 60).Select(i => new Dictionary<string, object?>
            {
                ["pclass"] = 1, ["sex"] = i % 2 == 0 ? "female" : "male", ["age"] = 60 + random.Next(0, 30), ["fare"] = Math.Round(600 + (random.NextDouble() * 200), 2), ["embarked"] = "Q",
            });
            var id = $"older-{request}";
            var (status, _) = await SendAsync(client, HttpMethod.Post, "api/models/survival/predict", JsonSerializer.Serialize(new { records }), id);
            Assert.Equal(HttpStatusCode.OK, status);
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>Runs on demand until the log has flushed <paramref name="rows"/> rows.</summary>
    private static async Task<JsonElement> RunUntilAsync(HttpClient client, long rows, string body = "{}")
    {
        JsonElement report = default;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            (_, report) = await SendAsync(client, HttpMethod.Post, "api/models/survival/drift/run", body);
            if (report.GetProperty("inputs").GetProperty("current").GetProperty("rows").GetInt64() >= rows)
            {
                return report;
            }

            await Task.Delay(200);
        }

        return report;
    }

    [Fact]
    public async Task An_on_demand_run_reports_input_and_prediction_drift_data_quality_performance_and_an_estimate_and_is_stored()
    {
        var port = Testing.FreePort.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/events/");
        listener.Start();
        var events = new List<JsonElement>();
        var receiving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                var context = await listener.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream);
                var received = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone();
                lock (events)
                {
                    events.Add(received);
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });
        await using var app = new FlywheelApp(new Dictionary<string, string?>(s_quickLog) { ["Flywheel:Events:Webhook"] = $"http://127.0.0.1:{port}/events/" });
        using var client = app.CreateClient();
        await SetUpAsync(client);
        var ids = await PredictOlderPassengersAsync(client);
        // Ground truth for the first request: every older passenger in it died (0).
        var (feedback, _) = await SendAsync(client, HttpMethod.Post, "api/models/survival/feedback", JsonSerializer.Serialize(new { requestId = ids[0], actual = Enumerable.Repeat(0, 60) }));
        Assert.Equal(HttpStatusCode.Accepted, feedback);

        var report = await RunUntilAsync(client, 180);

        Assert.Equal("drift", report.GetProperty("verdict").GetString());
        Assert.Equal("on-demand", report.GetProperty("trigger").GetString());
        var inputs = report.GetProperty("inputs");
        Assert.Equal(180, inputs.GetProperty("current").GetProperty("rows").GetInt64());
        Assert.Equal("titanic", inputs.GetProperty("reference").GetProperty("name").GetString());
        var columns = inputs.GetProperty("columnResults").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.Equal(["age", "embarked", "fare", "pclass", "sex"], columns.Keys.Order());
        Assert.Equal("ks", columns["age"].GetProperty("method").GetString());
        Assert.True(columns["age"].GetProperty("drifted").GetBoolean());

        Assert.True(report.GetProperty("prediction").GetArrayLength() > 0, report.ToString());
        var prediction = report.GetProperty("prediction").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.Equal(["prediction", "probability(1)"], prediction.Keys.Order());
        Assert.Equal(38, prediction["prediction"].GetProperty("referenceRows").GetInt64());

        var quality = report.GetProperty("quality").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.True(quality["age"].GetProperty("outOfRangeRate").GetDouble() > 0.05);
        Assert.Contains(quality["age"].GetProperty("issues").EnumerateArray(), i => i.GetString()!.Contains("outside the reference range", StringComparison.Ordinal));
        Assert.Equal(1, quality["embarked"].GetProperty("unseenRate").GetDouble());
        Assert.Contains(quality["embarked"].GetProperty("issues").EnumerateArray(), i => i.GetString()!.Contains("categories the reference never had", StringComparison.Ordinal));

        var performance = report.GetProperty("performance");
        Assert.Equal(60, performance.GetProperty("rows").GetInt64());
        var accuracy = performance.GetProperty("metrics").GetProperty("accuracy").GetDouble();
        Assert.InRange(accuracy, 0, 1);
        var estimate = report.GetProperty("estimate");
        Assert.Equal(180, estimate.GetProperty("rows").GetInt64());
        Assert.InRange(estimate.GetProperty("accuracy").GetDouble(), 0.5, 1);

        // Stored: latest, history, the report by id as JSON and as a page.
        var id = report.GetProperty("id").GetString()!;
        var (_, latest) = await SendAsync(client, HttpMethod.Get, "api/models/survival/drift");
        Assert.Equal(id, latest.GetProperty("id").GetString());
        var (_, history) = await SendAsync(client, HttpMethod.Get, "api/models/survival/drift/history");
        Assert.Contains(history.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id && i.GetProperty("verdict").GetString() == "drift");
        var (stored, byId) = await SendAsync(client, HttpMethod.Get, $"api/models/survival/drift/reports/{id}");
        Assert.Equal(HttpStatusCode.OK, stored);
        Assert.Equal(180, byId.GetProperty("inputs").GetProperty("current").GetProperty("rows").GetInt64());
        using var page = await client.GetAsync(new Uri($"api/models/survival/drift/reports/{id}.html", UriKind.Relative));
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        var dom = await ExternalTools.RenderAsync(await page.Content.ReadAsStringAsync(), "model-monitoring-report");
        Assert.DoesNotMatch("CONSOLE\\(\\d+\\)|Uncaught|Failed to load resource", dom);
        Assert.Contains("<tr data-column=\"prediction\" class=\"pinned\">", dom, StringComparison.Ordinal);
        Assert.True(dom.IndexOf("data-column=\"prediction\"", StringComparison.Ordinal) < dom.IndexOf("<tr data-column=\"age\">", StringComparison.Ordinal), "the prediction is pinned above the inputs");
        foreach (var column in columns.Keys)
        {
            Assert.Contains($"<tr data-column=\"{column}\">", dom, StringComparison.Ordinal);
            Assert.Contains($"<figure data-column=\"{column}\">", dom, StringComparison.Ordinal);
        }

        Assert.Contains("id=\"performance\"", dom, StringComparison.Ordinal);

        // The verdict turned to drift: one DriftDetected event naming the report.
        var drifted = await EventuallyAsync(() =>
        {
            lock (events)
            {
                return events.FirstOrDefault(e => e.GetProperty("type").GetString() == "Flywheel.DriftDetected") is { ValueKind: JsonValueKind.Object } e ? e : (JsonElement?)null;
            }
        });
        Assert.Equal(id, drifted.GetProperty("data").GetProperty("reportId").GetString());
        Assert.Contains(drifted.GetProperty("data").GetProperty("driftedColumns").EnumerateArray(), c => c.GetString() == "age");

        // Still drifted on the next run: no second event (it is raised when the verdict changes to drift).
        var (_, again) = await SendAsync(client, HttpMethod.Post, "api/models/survival/drift/run", "{}");
        Assert.Equal("drift", again.GetProperty("verdict").GetString());
        await Task.Delay(1_000);
        lock (events)
        {
            Assert.Single(events, e => e.GetProperty("type").GetString() == "Flywheel.DriftDetected");
        }

        // Too few rows for the minimum: a report that says so, not an error, and no verdict of drift.
        var (_, few) = await SendAsync(client, HttpMethod.Post, "api/models/survival/drift/run", """{"minRows": 1000}""");
        Assert.Equal("not-enough-data", few.GetProperty("verdict").GetString());
        Assert.Equal(0, few.GetProperty("inputs").GetProperty("columns").GetInt32());
        Assert.Contains(few.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("at least 1,000", StringComparison.Ordinal));
        listener.Stop();
    }

    [Fact]
    public async Task Open_inference_protocol_requests_are_logged_and_monitored_like_records()
    {
        await using var app = new FlywheelApp(s_quickLog);
        using var client = app.CreateClient();
        await SetUpAsync(client);
        var rows = 40;
        var body = JsonSerializer.Serialize(new
        {
            id = "oip-1",
            inputs = new object[]
            {
                new { name = "pclass", shape = new[] { rows, 1 }, datatype = "INT64", data = Enumerable.Repeat(3, rows) },
                new { name = "sex", shape = new[] { rows, 1 }, datatype = "BYTES", data = Enumerable.Range(0, rows).Select(i => i % 2 == 0 ? "male" : "female") },
                new { name = "age", shape = new[] { rows, 1 }, datatype = "FP32", data = Enumerable.Range(0, rows).Select(i => 20f + i) },
                new { name = "fare", shape = new[] { rows, 1 }, datatype = "FP32", data = Enumerable.Range(0, rows).Select(i => 7.5f + i) },
                new { name = "embarked", shape = new[] { rows, 1 }, datatype = "BYTES", data = Enumerable.Repeat("S", rows) },
            },
        });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("v2/models/survival/infer", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("oip-1", response.Headers.GetValues("X-Request-Id").Single());

        var report = await RunUntilAsync(client, rows, """{"minRows": 10}""");

        Assert.Equal(rows, report.GetProperty("inputs").GetProperty("current").GetProperty("rows").GetInt64());
        var columns = report.GetProperty("inputs").GetProperty("columnResults").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.Equal(["age", "embarked", "fare", "pclass", "sex"], columns.Keys.Order());
        var quality = report.GetProperty("quality").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.Equal(0, quality["age"].GetProperty("typeErrors").GetInt64());
        Assert.Equal(0, quality["age"].GetProperty("currentMissingRate").GetDouble());
        Assert.Equal(rows, report.GetProperty("prediction").EnumerateArray().First().GetProperty("currentRows").GetInt64());
    }

    [Fact]
    public async Task The_schedule_starts_one_run_per_model_and_window_and_a_second_trigger_for_the_window_starts_nothing()
    {
        // Two features per activity: the five inputs fan out over three.
        await using var app = new FlywheelApp(new Dictionary<string, string?>(s_quickLog) { ["Flywheel:LocalEngine:Enabled"] = "true", ["Flywheel:Monitoring:FeatureGroupSize"] = "2" });
        using var client = app.CreateClient();
        await SetUpAsync(client);
        // Every 2 seconds, so the window that is due ends after the predictions below.
        var (saved, _) = await SendAsync(client, HttpMethod.Put, "api/models/survival/monitoring", """{"schedule": "*/2 * * * * *", "window": "PT1H", "minRows": 50}""");
        Assert.Equal(HttpStatusCode.Created, saved);
        await PredictOlderPassengersAsync(client);
        await Task.Delay(2_500);

        var scheduler = app.Services.GetRequiredService<MonitoringScheduler>();
        var pipelines = app.Services.GetRequiredService<IPipelineClient>();
        var first = await scheduler.TickAsync(pipelines, CancellationToken.None);
        var again = await scheduler.TickAsync(pipelines, CancellationToken.None);

        var instance = Assert.Single(first);
        Assert.StartsWith("monitor-survival-", instance, StringComparison.Ordinal);
        Assert.DoesNotContain(instance, again);
        var status = await client.WaitForEndAsync(instance, TimeSpan.FromSeconds(90));
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());

        var reportId = instance["monitor-survival-".Length..];
        var (found, report) = await SendAsync(client, HttpMethod.Get, $"api/models/survival/drift/reports/{reportId}");
        Assert.Equal(HttpStatusCode.OK, found);
        Assert.Equal("schedule", report.GetProperty("trigger").GetString());
        Assert.Equal(DateTimeOffset.ParseExact(reportId, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            report.GetProperty("inputs").GetProperty("current").GetProperty("to").GetDateTimeOffset());
        Assert.Equal(180, report.GetProperty("inputs").GetProperty("current").GetProperty("rows").GetInt64());
        Assert.Equal("drift", report.GetProperty("verdict").GetString());

        var (_, history) = await SendAsync(client, HttpMethod.Get, $"api/models/survival/drift/history?from={Uri.EscapeDataString(report.GetProperty("inputs").GetProperty("current").GetProperty("to").GetString()!)}");
        Assert.Contains(history.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == reportId);
        var (_, before) = await SendAsync(client, HttpMethod.Get, "api/models/survival/drift/history?to=2026-01-01T00:00:00Z");
        Assert.Empty(before.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_schedule_watches_every_version_that_serves_and_the_champions_report_stays_the_headline()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?>(s_quickLog) { ["Flywheel:LocalEngine:Enabled"] = "true" });
        using var client = app.CreateClient();
        await SetUpAsync(client);
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent([.. ModelFiles.Bytes(ModelFiles.TitanicPipeline), 0x3A, 0x00]), "file", "model.onnx");
            form.Add(new StringContent("""{"dataset": {"name": "titanic", "version": 1}}""", Encoding.UTF8, "application/json"), "metadata");
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(new Uri("api/models/survival/versions", UriKind.Relative), form)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Put, "api/models/survival/aliases/champion", """{"version": 1}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Put, "api/models/survival/aliases/challenger", """{"version": 2}""")).Status);
        // Every request goes to the challenger: the idle champion alone would be "not enough data" while version 2 drifts unwatched.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Put, "api/models/survival/deployment", """{"routes": [{"version": "challenger", "weight": 1}]}""")).Status);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, HttpMethod.Put, "api/models/survival/monitoring", """{"schedule": "*/2 * * * * *", "window": "PT1H", "minRows": 50}""")).Status);
        await PredictOlderPassengersAsync(client);
        await Task.Delay(2_500);

        var started = await app.Services.GetRequiredService<MonitoringScheduler>().TickAsync(app.Services.GetRequiredService<IPipelineClient>(), CancellationToken.None);

        Assert.Equal(2, started.Count);
        var challenger = Assert.Single(started, id => id.EndsWith("-v2", StringComparison.Ordinal));
        foreach (var id in started)
        {
            Assert.Equal("Completed", (await client.WaitForEndAsync(id, TimeSpan.FromSeconds(90))).GetProperty("runtimeStatus").GetString());
        }

        var (_, watched) = await SendAsync(client, HttpMethod.Get, $"api/models/survival/drift/reports/{challenger["monitor-survival-".Length..]}");
        Assert.Equal(2, watched.GetProperty("version").GetInt32());
        Assert.Equal("drift", watched.GetProperty("verdict").GetString());
        Assert.False(watched.GetProperty("headline").GetBoolean());
        Assert.Equal(1.0, watched.GetProperty("traffic").EnumerateArray().Single().GetProperty("share").GetDouble());
        var (_, headline) = await SendAsync(client, HttpMethod.Get, "api/models/survival/drift");
        Assert.Equal(1, headline.GetProperty("version").GetInt32());
        Assert.Equal("not-enough-data", headline.GetProperty("verdict").GetString());
        Assert.Contains(headline.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("v2 100.0%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_feature_drifting_alone_is_drift_even_when_the_share_of_drifted_inputs_stays_low()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?>(s_quickLog) { ["Flywheel:LocalEngine:Enabled"] = "true" });
        using var client = app.CreateClient();
        var adult = File.ReadLines(DatasetFiles.Adult).Take(6_001).ToList();
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "earnings", Encoding.UTF8.GetBytes(string.Join('\n', adult) + "\n"), "adult.csv")).Status);
        string[] features = ["age", "hours_per_week", "education_num", "capital_gain", "sex"];
        var (started, _) = await SendAsync(client, HttpMethod.Post, "api/pipelines/training",
            $$"""{"model": "earner", "dataset": "earnings", "label": "income", "features": {{JsonSerializer.Serialize(features)}}, "trainers": ["linear"], "trials": 1}""");
        Assert.Equal(HttpStatusCode.Accepted, started);
        JsonElement version = default;
        for (var attempt = 0; attempt < 300 && version.ValueKind != JsonValueKind.Object; attempt++)
        {
            await Task.Delay(200);
            var (found, body) = await SendAsync(client, HttpMethod.Get, "api/models/earner/versions/champion");
            version = found == HttpStatusCode.OK ? body : default;
        }

        var top = version.GetProperty("training").GetProperty("importance").EnumerateObject().MaxBy(i => i.Value.GetDouble()).Name;
        var header = adult[0].Split(',');
        // Rows as in training, but the most important feature moved far out of its range.
        var records = adult.Skip(1).Take(180).Select(line =>
        {
            var cells = line.Split(',').Select(c => c.Trim()).ToArray();
            return features.ToDictionary(f => f, object (f) =>
            {
                var cell = cells[Array.IndexOf(header, f)];
                return f == "sex" ? (f == top ? "Female" : cell) : double.Parse(cell, CultureInfo.InvariantCulture) + (f == top ? 1_000 : 0);
            });
        }).ToList();
        for (var request = 0; request < 3; request++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, "api/models/earner/predict", JsonSerializer.Serialize(new { records = records.Skip(request * 60).Take(60) }))).Status);
        }

        JsonElement report = default;
        for (var attempt = 0; attempt < 50 && (report.ValueKind != JsonValueKind.Object || report.GetProperty("inputs").GetProperty("current").GetProperty("rows").GetInt64() < 180); attempt++)
        {
            await Task.Delay(200);
            (_, report) = await SendAsync(client, HttpMethod.Post, "api/models/earner/drift/run", """{"minRows": 50}""");
        }

        var inputs = report.GetProperty("inputs");
        Assert.True(inputs.GetProperty("share").GetDouble() < 0.5, inputs.ToString());
        Assert.Equal("drift", report.GetProperty("verdict").GetString());
        Assert.Contains(report.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains($"Key feature(s) '{top}' (importance rank 1) drifted", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, HttpMethod.Put, "api/models/earner/monitoring", """{"keyFeatures": 0}""")).Status);
        var (_, plain) = await SendAsync(client, HttpMethod.Post, "api/models/earner/drift/run", """{"minRows": 50}""");
        // The answers still drift (the model sees the moved feature); only the key-feature rule is off.
        Assert.DoesNotContain(plain.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("Key feature", StringComparison.Ordinal));
        Assert.False(plain.GetProperty("inputs").GetProperty("datasetDrift").GetBoolean());
    }

    [Fact]
    public async Task A_rolling_reference_compares_traffic_with_the_newest_training_rows_so_an_old_shift_does_not_alarm()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?>(s_quickLog) { ["Flywheel:LocalEngine:Enabled"] = "true" });
        using var client = app.CreateClient();
        var dataset = $"sensor-{Guid.NewGuid():N}"[..20];
        var model = $"gauge-{Guid.NewGuid():N}"[..20];
        // 2,000 readings four hours apart; x moved from 0-10 to 100-110 for the last 500 (about 83 days).
        var random = new Random(7);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var csv = new StringBuilder("date,x,z,alarm\n");
        for (var i = 0; i < 2_000; i++)
        {
            var x = (i < 1_500 ? 0 : 100) + (random.NextDouble() * 10);
            var z = random.NextDouble();
            csv.Append(CultureInfo.InvariantCulture, $"{start.AddHours(4 * i):yyyy-MM-ddTHH:mm:ssZ},{x:0.###},{z:0.###},{(x % 10 + z > 5.5 ? "yes" : "no")}\n");
        }

        var (stored, answer) = await DatasetApiTests.PutAsync(client, dataset, Encoding.UTF8.GetBytes(csv.ToString()), "sensor.csv");
        Assert.True(stored == HttpStatusCode.Created, answer.ToString());
        var (started, _) = await SendAsync(client, HttpMethod.Post, "api/pipelines/training",
            $$"""{"model": "{{model}}", "dataset": "{{dataset}}", "label": "alarm", "features": ["x", "z"], "trainers": ["linear"], "trials": 1}""");
        Assert.Equal(HttpStatusCode.Accepted, started);
        for (var attempt = 0; attempt < 300 && (await SendAsync(client, HttpMethod.Get, $"api/models/{model}/versions/champion")).Status != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(200);
        }

        // Traffic looks like the newest rows.
        var records = Enumerable.Range(0, 180).Select(_ => new { x = 100 + (random.NextDouble() * 10), z = random.NextDouble() }).ToList();
        for (var request = 0; request < 3; request++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, $"api/models/{model}/predict", JsonSerializer.Serialize(new { records = records.Skip(request * 60).Take(60) }))).Status);
        }

        async Task<JsonElement> RunAsync()
        {
            JsonElement report = default;
            for (var attempt = 0; attempt < 50 && (report.ValueKind != JsonValueKind.Object || report.GetProperty("inputs").GetProperty("current").GetProperty("rows").GetInt64() < 180); attempt++)
            {
                await Task.Delay(200);
                (_, report) = await SendAsync(client, HttpMethod.Post, $"api/models/{model}/drift/run", """{"minRows": 50}""");
            }

            return report;
        }

        static JsonElement Column(JsonElement report, string name) => report.GetProperty("inputs").GetProperty("columnResults").EnumerateArray().Single(c => c.GetProperty("column").GetString() == name);

        var whole = await RunAsync();
        Assert.True(Column(whole, "x").GetProperty("drifted").GetBoolean(), whole.GetProperty("inputs").ToString());
        Assert.Equal(2_000, whole.GetProperty("inputs").GetProperty("reference").GetProperty("rows").GetInt64());

        var (saved, settings) = await SendAsync(client, HttpMethod.Put, $"api/models/{model}/monitoring", """{"recent": {"rows": 400}}""");
        Assert.True(saved == HttpStatusCode.Created, settings.ToString());
        var last = await RunAsync();
        Assert.False(Column(last, "x").GetProperty("drifted").GetBoolean(), last.GetProperty("inputs").ToString());
        Assert.Equal(400, last.GetProperty("inputs").GetProperty("reference").GetProperty("rows").GetInt64());
        Assert.Contains(last.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("last 400 rows", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Put, $"api/models/{model}/monitoring", """{"recent": {"column": "date", "window": "P30D"}}""")).Status);
        var month = await RunAsync();
        Assert.False(Column(month, "x").GetProperty("drifted").GetBoolean(), month.GetProperty("inputs").ToString());
        var side = month.GetProperty("inputs").GetProperty("reference");
        Assert.Equal(181, side.GetProperty("rows").GetInt64());
        Assert.Equal(start.AddHours(4 * 1_999), side.GetProperty("to").GetDateTimeOffset().UtcDateTime);

        // Bad settings are refused and the saved ones stay.
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, HttpMethod.Put, $"api/models/{model}/monitoring", """{"recent": {"rows": 5, "column": "date"}}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, HttpMethod.Put, $"api/models/{model}/monitoring", """{"recent": {"column": "date", "window": "a month"}}""")).Status);
        var (notDate, problem) = await SendAsync(client, HttpMethod.Put, $"api/models/{model}/monitoring", $$$"""{"reference": {"dataset": "{{{dataset}}}", "version": 1}, "recent": {"column": "x", "window": "P1D"}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notDate);
        Assert.Contains("'x' is not a date-time column", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (_, kept) = await SendAsync(client, HttpMethod.Get, $"api/models/{model}/monitoring");
        Assert.Equal("P30D", kept.GetProperty("recent").GetProperty("window").GetString());
    }

    [Fact]
    public async Task Monitoring_settings_are_checked_when_saved_and_read_back()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await SetUpAsync(client);

        async Task<(HttpStatusCode Status, string Detail)> PutAsync(string model, string body)
        {
            var (status, answer) = await SendAsync(client, HttpMethod.Put, $"api/models/{model}/monitoring", body);
            return (status, answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("detail", out var d) ? d.GetString()! : string.Empty);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync("survival", """{"schedule": "every hour"}""")).Status);
        Assert.Contains("P7D", (await PutAsync("survival", """{"window": "24 hours"}""")).Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync("survival", """{"window": "P90D"}""")).Status);
        Assert.Contains("methods.age", (await PutAsync("survival", """{"methods": {"age": "magic"}}""")).Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync("survival", """{"minRows": 0}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync("survival", """{"shedule": "0 0 * * * *"}""")).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PutAsync("survival", """{"reference": {"dataset": "titanic", "version": 9}}""")).Status);
        Assert.Contains("deck", (await PutAsync("survival", """{"reference": {"dataset": "titanic", "version": 1}, "features": ["age", "deck"]}""")).Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync("no-such-model", "{}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "api/models/survival/monitoring")).Status);

        var good = """{"reference": {"dataset": "titanic", "version": 1}, "features": ["age", "fare"], "schedule": "0 */15 * * * *", "window": "PT6H", "minRows": 20, "methods": {"age": "wasserstein", "categorical": "jensenshannon"}}""";
        Assert.Equal(HttpStatusCode.Created, (await PutAsync("survival", good)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync("survival", good)).Status);
        var (_, read) = await SendAsync(client, HttpMethod.Get, "api/models/survival/monitoring");
        Assert.Equal("PT6H", read.GetProperty("window").GetString());

        // The settings steer the run: only the named features, with the named method.
        var (_, report) = await SendAsync(client, HttpMethod.Post, "api/models/survival/drift/run", """{"minRows": 1}""");
        Assert.Equal("not-enough-data", report.GetProperty("verdict").GetString());
        Assert.Equal(["age", "fare"], report.GetProperty("quality").EnumerateArray().Select(q => q.GetProperty("column").GetString()).Order());
    }

    [Fact]
    public async Task A_model_without_a_reference_a_bad_window_or_no_such_model_is_a_4xx()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, await ModelFiles.RegisterAsync(client, "flowers", ModelFiles.IrisZipMap));

        var (status, problem) = await SendAsync(client, HttpMethod.Post, "api/models/flowers/drift/run", "{}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("no reference", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var future = DateTimeOffset.UtcNow.AddDays(2).ToString("O", CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, HttpMethod.Post, "api/models/flowers/drift/run", $$"""{"to": "{{future}}"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, HttpMethod.Post, "api/models/flowers/drift/run", """{"from": "2026-12-02T00:00:00Z", "to": "2026-12-01T00:00:00Z"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, HttpMethod.Post, "api/models/flowers/drift/run", """{"windw": "PT1H"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, HttpMethod.Post, "api/models/flowers/drift/run", """{"method": "magic"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Post, "api/models/no-such-model/drift/run", "{}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "api/models/flowers/drift")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "api/models/no-such-model/drift/history")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, HttpMethod.Get, "api/models/flowers/drift/history?from=yesterday")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "api/models/flowers/drift/reports/20260101T000000Z")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "api/models/flowers/drift/reports/20260101T000000Z.html")).Status);
    }

    [Fact]
    public async Task A_schedule_whose_next_run_is_months_away_keeps_the_host_running()
    {
        // February 29th: the next run can be years away, far beyond the longest single Task.Delay.
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Monitoring:Schedule"] = "0 0 0 29 2 *" });
        using var client = app.CreateClient();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();

        await Task.Delay(1_000);

        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the monitoring timer stopped the host");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("api/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Stopping_the_host_flushes_the_prediction_log_it_has_queued()
    {
        // A flush interval far longer than the test: only the stop can write these entries.
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Serving:PredictionLogFlushInterval"] = "00:10:00" });
        using var client = app.CreateClient();
        await SetUpAsync(client);
        for (var i = 0; i < 25; i++)
        {
            var (status, _) = await SendAsync(client, HttpMethod.Post, "api/models/survival/predict", """{"records": [{"pclass": 1, "sex": "female", "age": 30, "fare": 80, "embarked": "S"}]}""");
            Assert.Equal(HttpStatusCode.OK, status);
        }

        var storage = app.Storage;
        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        var lines = await EventuallyAsync(async () =>
        {
            var container = await storage.ContainerAsync(Flywheel.Storage.StorageNames.PredictionsContainer, CancellationToken.None);
            var count = 0;
            await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "survival/", CancellationToken.None))
            {
                count += (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            }

            return count == 25 ? count : (int?)null;
        });
        Assert.Equal(25, lines);
    }

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe)
        where T : struct
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The condition was not met in 10 s.");
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
        where T : struct
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The condition was not met in 10 s.");
    }
}
