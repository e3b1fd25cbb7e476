using Flywheel.Tests.Retraining;

namespace Flywheel.Tests.Console;

/// <summary>
/// LocalHost listening on a real port (a browser cannot use the in-memory test server) on the test Azurite, seeded
/// once for a class of console tests: the flowers dataset in two versions, the model trained on the first (version 1, the
/// champion), some predictions and a drift report. Its storage prefix is its own, so classes run in parallel.
/// </summary>
public sealed class ConsoleSite : IAsyncLifetime
{
    public const string Model = RetrainingScenario.Model;
    public const string Dataset = RetrainingScenario.Dataset;

    private FlywheelApp? _app;

    public FlywheelApp App => _app ?? throw new InvalidOperationException("Not started.");

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The site's root URL, ending in a slash.</summary>
    public string BaseUrl { get; private set; } = null!;

    internal RetrainingScenario Scenario { get; private set; } = null!;

    public string Url(string path) => BaseUrl + path;

    public async Task InitializeAsync()
    {
        var settings = RetrainingScenario.Settings();
        settings["Flywheel:Serving:PredictionLogFlushInterval"] = "00:00:00.200";
        _app = new FlywheelApp(settings);
        _app.UseKestrel(0);
        _app.StartServer();
        Client = _app.CreateClient();
        BaseUrl = Client.BaseAddress!.AbsoluteUri;
        Scenario = await RetrainingScenario.OnAsync(Client);
        await Scenario.UploadAsync(RetrainingScenario.Flowers(150, scrambled: false));
        using var predictions = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Scenario.TrafficAsync(predictions.Token);
        await DriftReportAsync();
    }

    /// <summary>Runs the model's drift check until the logged predictions (flushed every 200 ms) reach it: the report then has per-column scores.</summary>
    private async Task DriftReportAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var (status, report) = await Scenario.SendAsync(HttpMethod.Post, $"api/models/{Model}/drift/run", """{"minRows": 10}""");
            Assert.True(status == System.Net.HttpStatusCode.OK, report.ToString());
            if (report.GetProperty("inputs").GetProperty("columns").GetInt32() > 0)
            {
                return;
            }

            Assert.True(attempt < 50, $"The logged predictions never reached the drift check: {report}");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
