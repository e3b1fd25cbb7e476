using System.Globalization;
using Flywheel.Client.Http;
using Flywheel.Contracts;
using Flywheel.Contracts.Monitoring;

namespace Flywheel.Client.Monitoring;

/// <summary>Model monitoring: drift reports (run now, the latest, history, one by id), the settings, and feedback turned into a dataset.</summary>
public sealed class MonitoringClient
{
    private readonly FlywheelHttp _http;

    internal MonitoringClient(FlywheelHttp http) => _http = http;

    /// <summary>Computes a drift report for the model now, over the window the request names (default the last 24 hours of its champion).</summary>
    public Task<ModelMonitoringReport> RunAsync(string model, DriftRunRequest? request = null, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<ModelMonitoringReport>(HttpMethod.Post, ApiPath.Of(Routes.ModelDriftRun, ("name", model)), request ?? new DriftRunRequest(), cancellationToken);

    /// <summary>The model's latest stored report, or null when it has none.</summary>
    public Task<ModelMonitoringReport?> GetLatestAsync(string model, CancellationToken cancellationToken = default) =>
        _http.FindAsync<ModelMonitoringReport>(ApiPath.Of(Routes.ModelDrift, ("name", model)), cancellationToken);

    public Task<ModelMonitoringReport> GetReportAsync(string model, string id, CancellationToken cancellationToken = default) =>
        _http.GetAsync<ModelMonitoringReport>(ApiPath.Of(Routes.ModelDriftReport, ("name", model), ("id", id)), cancellationToken);

    /// <summary>A report's HTML page, to save or open in a browser.</summary>
    /// <remarks>The route serves the page at the id with <c>.html</c> appended (a link a browser can follow); at the bare id it answers JSON whatever the Accept header says.</remarks>
    public Task<string> GetReportHtmlAsync(string model, string id, CancellationToken cancellationToken = default) =>
        _http.GetTextAsync(ApiPath.Of(Routes.ModelDriftReport, ("name", model), ("id", $"{id}.html")), "text/html", cancellationToken);

    /// <summary>The model's reports over time, newest first, optionally within a window.</summary>
    public IAsyncEnumerable<MonitoringSummary> HistoryAsync(string model, DateTimeOffset? from = null, DateTimeOffset? to = null, int? pageSize = null,
        CancellationToken cancellationToken = default) =>
        _http.PagesAsync<MonitoringSummary>(ApiPath.Of(Routes.ModelDriftHistory, ("name", model)).With(
            ("from", from?.ToString("O", CultureInfo.InvariantCulture)), ("to", to?.ToString("O", CultureInfo.InvariantCulture))), pageSize, cancellationToken);

    public Task<MonitoringSettings> GetSettingsAsync(string model, CancellationToken cancellationToken = default) =>
        _http.GetAsync<MonitoringSettings>(ApiPath.Of(Routes.ModelMonitoring, ("name", model)), cancellationToken);

    public Task<MonitoringSettings> SaveSettingsAsync(string model, MonitoringSettings settings, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<MonitoringSettings>(HttpMethod.Put, ApiPath.Of(Routes.ModelMonitoring, ("name", model)), settings, cancellationToken);

    /// <summary>Appends the logged inputs that have feedback, labelled, as a new version of a dataset.</summary>
    public Task<FeedbackDatasetResult> CreateFeedbackDatasetAsync(string model, FeedbackDatasetRequest request, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<FeedbackDatasetResult>(HttpMethod.Post, ApiPath.Of(Routes.ModelFeedbackDataset, ("name", model)), request, cancellationToken);
}
