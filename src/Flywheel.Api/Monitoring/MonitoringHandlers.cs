using System.Globalization;
using Flywheel.Api.Problems;
using Flywheel.Api.Requests;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Flywheel.Contracts.Monitoring;
using Flywheel.Monitoring.Drift;
using Flywheel.Monitoring.Feedback;
using Flywheel.Monitoring.Models;
using Flywheel.Monitoring.Reports;
using Flywheel.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Api.Monitoring;

/// <summary>
/// Monitoring routes: drift between two versions of a dataset; a served model's monitoring settings,
/// on-demand runs, its latest report, history and stored reports (JSON or HTML).
/// </summary>
public sealed class MonitoringHandlers(
    DatasetDrift drift, OnDemandMonitoring onDemand, MonitoringReports reports, MonitoringSettingsStore settings, ModelRegistry registry, ModelMonitor monitor, FeedbackDataset feedbackDataset)
{
    private const string SettingsExample = """{"reference": {"dataset": "titanic", "version": 3}, "features": ["age", "fare"], "schedule": "0 0 * * * *", "window": "PT24H", "minRows": 500, "methods": {"age": "psi", "categorical": "jensenshannon"}}""";

    /// <summary><c>?reference=</c> (required) and <c>?current=</c> (default latest): version numbers or latest; <c>?method=</c> (default auto), <c>?threshold=</c>, <c>?format=json|html</c>.</summary>
    public async Task<IResult> DatasetDriftAsync(DatasetDriftQuery query, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Reference is not { Length: > 0 } reference)
        {
            throw Invalid("reference is required: the version to compare against, e.g. ?reference=1&current=2.");
        }

        var current = query.Current is { Length: > 0 } c ? c : VersionReference.LatestText;
        double? threshold = null;
        if (query.Threshold is { Length: > 0 } text)
        {
            threshold = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var t)
                ? DriftDetection.CheckThreshold(t)
                : throw Invalid($"threshold must be a positive number; it is '{text}'.");
        }

        var html = Html(query.Format);
        var report = await drift.CompareAsync(name, Version("reference", reference), Version("current", current),
            query.Method is { Length: > 0 } m ? m : "auto", threshold, cancellationToken).ConfigureAwait(false);
        return html
            ? Results.Text(DriftReportPage.Render(report, $"Drift of {name}: v{report.Current.Version} against v{report.Reference.Version}"), "text/html; charset=utf-8")
            : Results.Json(report, Json.Options);
    }

    /// <summary>Body <see cref="DriftRunRequest"/> (all optional); <c>?format=json|html</c>.</summary>
    public async Task<IResult> ModelDriftAsync(HttpRequest request, FormatQuery format, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(format);
        var run = request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding"))
            ? new DriftRunRequest()
            : await RequestJson.ReadAsync<DriftRunRequest>(request, ProblemTypes.InvalidDriftRun,
                """{"version": "champion", "from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z", "method": "auto", "minRows": 500}""", cancellationToken).ConfigureAwait(false);
        // The run stores its report as the latest, so the whole request is checked first.
        var html = Html(format.Format);
        var report = await onDemand.RunAsync(name, run, cancellationToken).ConfigureAwait(false);
        return Answer(report, html);
    }

    /// <summary>The newest report by window end; 404 when the model has none yet.</summary>
    public async Task<IResult> LatestAsync(FormatQuery format, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (await KnownModelAsync(name, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            return problem;
        }

        var html = Html(format.Format);
        return await reports.LatestAsync(name, cancellationToken).ConfigureAwait(false) is { } report
            ? Answer(report, html)
            : Problem.NotFound($"Model '{name}' has no monitoring report yet: POST api/models/{name}/drift/run, or wait for the schedule.");
    }

    /// <summary><c>?from=&amp;to=</c> (window ends, ISO 8601), <c>?pageSize=&amp;continuationToken=</c>; newest first.</summary>
    public async Task<Results<Ok<Page<MonitoringSummary>>, ProblemHttpResult>> HistoryAsync(
        HttpRequest request, DriftHistoryQuery window, PageQuery paging, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(paging);
        if (await KnownModelAsync(name, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            return problem;
        }

        var (from, to) = window.Window();
        var (token, size) = paging.Read(request);
        return Paging.Ok(request, await reports.HistoryAsync(name, from, to, token, size, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A stored report: JSON, or the page when the id ends in <c>.html</c>.</summary>
    public async Task<IResult> ReportAsync(string name, string id, CancellationToken cancellationToken)
    {
        var html = id.EndsWith(".html", StringComparison.Ordinal);
        var bare = html ? id[..^".html".Length] : id;
        if (!Flywheel.Serving.Routing.RequestId.IsValid(bare))
        {
            throw Invalid($"'{id}' is not a report id: ids are the ones api/models/{name}/drift/history lists.");
        }

        if (html)
        {
            return await reports.GetHtmlAsync(name, bare, cancellationToken).ConfigureAwait(false) is { } page
                ? Results.Text(page, "text/html; charset=utf-8")
                : Problem.NotFound($"Model '{name}' has no monitoring report '{bare}'.");
        }

        return await reports.GetAsync(name, bare, cancellationToken).ConfigureAwait(false) is { } report
            ? Results.Json(report, Json.Options)
            : Problem.NotFound($"Model '{name}' has no monitoring report '{bare}'.");
    }

    /// <summary>Saves the model's monitoring settings after checking them against the registry and the reference dataset.</summary>
    public async Task<Results<Created<MonitoringSettings>, Ok<MonitoringSettings>, ProblemHttpResult>> SaveSettingsAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await KnownModelAsync(name, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            return problem;
        }

        var body = await RequestJson.ReadAsync<MonitoringSettings>(request, ProblemTypes.InvalidMonitoring, SettingsExample, cancellationToken, 64 << 10).ConfigureAwait(false);
        await monitor.CheckSettingsAsync(name, body, cancellationToken).ConfigureAwait(false);

        var existed = await settings.GetAsync(name, cancellationToken).ConfigureAwait(false) is not null;
        await settings.SaveAsync(name, body, cancellationToken).ConfigureAwait(false);
        return existed ? TypedResults.Ok(body) : TypedResults.Created((string?)null, body);
    }

    public async Task<Results<Ok<MonitoringSettings>, ProblemHttpResult>> GetSettingsAsync(string name, CancellationToken cancellationToken)
    {
        if (await KnownModelAsync(name, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            return problem;
        }

        return await settings.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } saved
            ? TypedResults.Ok(saved)
            : Problem.NotFound($"Model '{name}' has no monitoring settings: it is monitored with the defaults (lineage dataset, every input, Flywheel:Monitoring). PUT api/models/{name}/monitoring to set them.");
    }

    /// <summary>Body <see cref="FeedbackDatasetRequest"/>: 201 with the new dataset version, 200 when a version already has these rows.</summary>
    public async Task<Results<Created<FeedbackDatasetResult>, Ok<FeedbackDatasetResult>>> FeedbackDatasetAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await RequestJson.ReadAsync<FeedbackDatasetRequest>(request, ProblemTypes.InvalidFeedbackDataset,
            """{"dataset": "bank-feedback", "from": "2026-12-01T00:00:00Z", "to": "2026-12-08T00:00:00Z", "version": 3}""", cancellationToken, 64 << 10).ConfigureAwait(false);
        var result = await feedbackDataset.AppendAsync(name, body, cancellationToken).ConfigureAwait(false);
        return result.Created ? TypedResults.Created((string?)null, result) : TypedResults.Ok(result);
    }

    private async Task<ProblemHttpResult?> KnownModelAsync(string name, CancellationToken cancellationToken)
    {
        return await registry.GetModelAsync(name, null, 1, cancellationToken).ConfigureAwait(false) is null ? Problem.NotFound($"There is no model '{name}'.") : null;
    }

    /// <summary>Whether <c>?format=</c> asks for the page: json (the default) or html; read before any work, so a bad one changes nothing.</summary>
    private static bool Html(string? format) => format switch
    {
        null or "" or "json" => false,
        "html" => true,
        var other => throw Invalid($"format must be json or html; it is '{other}'."),
    };

    private static IResult Answer(ModelMonitoringReport report, bool html) =>
        html ? Results.Text(DriftReportPage.Render(report), "text/html; charset=utf-8") : Results.Json(report, Json.Options);

    private static VersionReference Version(string parameter, string text) =>
        VersionReference.TryParse(text, aliases: false, out var version) ? version : throw Invalid($"{parameter} must be a version number or latest; it is '{text}'.");

    internal static FlywheelException Invalid(string detail) => new(ErrorKind.InvalidInput, ProblemTypes.InvalidQuery, detail);
}
