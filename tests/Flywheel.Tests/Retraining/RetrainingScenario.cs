using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Datasets;
using Flywheel.Tests.Pipelines;
using Flywheel.Tests.Training;

namespace Flywheel.Tests.Retraining;

/// <summary>
/// A model that retrains by itself, on LocalHost's engine and Azurite: the iris flowers, first with labels that have
/// nothing to do with the measurements (so the champion is poor and any honest retrain beats it at the gate), then with
/// the true labels. The retraining timer ticks every second and the serving signal is flushed every second.
/// </summary>
internal sealed class RetrainingScenario : IAsyncDisposable
{
    public const string Model = "flowers-ct";
    public const string Dataset = "flowers";
    private const string Record = """{"records": [{"sepal_length": 6.1, "sepal_width": 2.8, "petal_length": 4.7, "petal_width": 1.2}, {"sepal_length": 5.0, "sepal_width": 3.4, "petal_length": 1.5, "petal_width": 0.2}]}""";

    private RetrainingScenario(FlywheelApp? app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    private readonly FlywheelApp? _app;

    /// <summary>The in-process app (not for a scenario on a LocalHost process).</summary>
    public FlywheelApp App => _app ?? throw new InvalidOperationException("This scenario runs on a LocalHost process.");

    public HttpClient Client { get; }

    /// <summary>The settings a LocalHost that retrains in a test needs: the engine on, the timer every second, the signal flushed every second.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Flywheel:LocalEngine:Enabled"] = "true",
        ["Flywheel:Retraining:Schedule"] = "* * * * * *",
        ["Flywheel:Serving:SignalFlushInterval"] = "00:00:01",
        ["Flywheel:Serving:DeploymentCacheDuration"] = "00:00:01",
    };

    /// <summary>The champion (version 1) trained on scrambled labels, with a saved training request and no policy yet.</summary>
    public static async Task<RetrainingScenario> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = Settings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = new FlywheelApp(all);
        var scenario = new RetrainingScenario(app, app.CreateClient());
        await scenario.SeedAsync();
        return scenario;
    }

    /// <summary>The same start on a host a test runs itself (a LocalHost process); the client stays the caller's.</summary>
    public static async Task<RetrainingScenario> OnAsync(HttpClient client)
    {
        var scenario = new RetrainingScenario(null, client);
        await scenario.SeedAsync();
        return scenario;
    }

    /// <summary>A scenario already seeded (by another process on the same storage), read and driven through <paramref name="client"/>.</summary>
    public static RetrainingScenario Existing(HttpClient client) => new(null, client);

    private async Task SeedAsync()
    {
        var scenario = this;
        await scenario.UploadAsync(Flowers(150, scrambled: true));
        var (status, body) = await scenario.SendAsync(HttpMethod.Put, $"api/models/{Model}/training",
            $$$"""{"dataset": "{{{Dataset}}}", "label": "species", "trials": 2, "trainers": ["lightgbm"], "seed": 3, "gate": {"minRows": 1}}""");
        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.OK, body.ToString());
        var (started, pipeline) = await scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/train", "{}");
        Assert.True(started == HttpStatusCode.Accepted, pipeline.ToString());
        var end = await scenario.Client.WaitForEndAsync(pipeline.GetProperty("id").GetString()!, TimeSpan.FromMinutes(3));
        Assert.True(end.GetProperty("output").GetProperty("promotion").GetString() == "promoted", end.ToString());
    }

    /// <summary>Iris rows; <paramref name="scrambled"/> gives each row a label that does not depend on its measurements.</summary>
    public static string Flowers(int rows, bool scrambled)
    {
        var csv = new StringBuilder();
        var lines = IrisData.Csv(rows).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        csv.Append(lines[0]).Append('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            csv.Append(scrambled ? string.Concat(line.AsSpan(0, line.LastIndexOf(',') + 1), ((i * 7) % 3).ToString(System.Globalization.CultureInfo.InvariantCulture)) : line).Append('\n');
        }

        return csv.ToString();
    }

    public async Task UploadAsync(string csv)
    {
        using var content = DatasetFiles.Csv(csv);
        using var response = await Client.PutAsync(new Uri($"api/datasets/{Dataset}", UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task PutPolicyAsync(string policy)
    {
        var (status, body) = await SendAsync(HttpMethod.Put, $"api/models/{Model}/policy", policy);
        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.OK, body.ToString());
    }

    public async Task<JsonElement[]> RetrainingsAsync()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"api/models/{Model}/retrainings");
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.GetProperty("items").EnumerateArray()];
    }

    /// <summary>Polls the model's retrainings until one satisfies <paramref name="done"/>.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var all = await RetrainingsAsync();
            if (all.FirstOrDefault(done) is { ValueKind: JsonValueKind.Object } found)
            {
                return found;
            }

            // Every retraining has ended without getting there: waiting longer cannot help.
            Assert.False(all.Length > 0 && all.All(Finished), $"No retraining {what}; all have ended: {JsonSerializer.Serialize(all)}");

            Assert.True(DateTime.UtcNow < deadline, $"No retraining {what} after {timeout}: {JsonSerializer.Serialize(all)}");
            await Task.Delay(250);
        }
    }

    public static bool Finished(JsonElement record) => record.TryGetProperty("finished", out _);

    public static string Status(JsonElement record) => record.GetProperty("status").GetString()!;

    public static IEnumerable<string> Steps(JsonElement record) => record.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()!);

    /// <summary>Sends predictions until <paramref name="stop"/> is cancelled, as callers would; returns how many were answered.</summary>
    public async Task<int> TrafficAsync(CancellationToken stop)
    {
        var answered = 0;
        while (!stop.IsCancellationRequested)
        {
            using var content = new StringContent(Record, Encoding.UTF8, "application/json");
            using var response = await Client.PostAsync(new Uri($"api/models/{Model}/predict", UriKind.Relative), content, CancellationToken.None);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(CancellationToken.None));
            answered++;
            await Task.Delay(20, CancellationToken.None);
        }

        return answered;
    }

    public async Task<JsonElement> ModelAsync() => (await SendAsync(HttpMethod.Get, $"api/models/{Model}")).Body;

    public async Task<string[]> HistoryAsync()
    {
        var (_, body) = await SendAsync(HttpMethod.Get, $"api/models/{Model}/history?pageSize=100");
        return [.. body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!)];
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            Client.Dispose();
            await _app.DisposeAsync();
        }
    }
}
