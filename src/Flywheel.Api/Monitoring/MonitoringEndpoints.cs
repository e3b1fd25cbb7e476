using System.Globalization;
using Flywheel.Api.Problems;
using Flywheel.Api.Requests;
using Flywheel.Errors;
using Flywheel.Monitoring.Drift;
using Flywheel.Monitoring.Reports;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Monitoring;

/// <summary>Monitoring routes: drift between two versions of a dataset, and of a served model's logged inputs against its training data, with Evidently's default tests or one method for every column.</summary>
public sealed class MonitoringEndpoints(DatasetDrift drift, ModelDrift models)
{
    /// <summary><c>?reference=</c> (required) and <c>?current=</c> (default latest): version numbers or latest; <c>?method=</c> (default auto), <c>?threshold=</c>, <c>?format=json|html</c>.</summary>
    public async Task<IResult> DatasetDriftAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Problem.InvalidName("dataset", name) is { } invalid)
        {
            return invalid;
        }

        var query = request.Query;
        if (query["reference"].ToString() is not { Length: > 0 } reference)
        {
            throw Invalid("reference is required: the version to compare against, e.g. ?reference=1&current=2.");
        }

        var current = query["current"].ToString() is { Length: > 0 } c ? c : VersionReference.LatestText;
        double? threshold = null;
        if (query["threshold"].ToString() is { Length: > 0 } text)
        {
            threshold = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && double.IsFinite(t) && t > 0
                ? t
                : throw Invalid($"threshold must be a positive number; it is '{text}'.");
        }

        var report = await drift.CompareAsync(name, Version("reference", reference), Version("current", current),
            query["method"].ToString() is { Length: > 0 } m ? m : "auto", threshold, cancellationToken).ConfigureAwait(false);
        return Answer(request, report, $"Drift of {name}: v{report.Current.Version} against v{report.Reference.Version}");
    }

    /// <summary>Body <see cref="DriftRunRequest"/> (all optional); <c>?format=json|html</c>.</summary>
    public async Task<IResult> ModelDriftAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Problem.InvalidName("model", name) is { } invalid)
        {
            return invalid;
        }

        var run = request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding"))
            ? new DriftRunRequest()
            : await RequestJson.ReadAsync<DriftRunRequest>(request, "invalid-drift-run",
                """{"version": "champion", "from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z", "method": "auto", "minRows": 500}""", cancellationToken).ConfigureAwait(false);
        var report = await models.RunAsync(name, run, cancellationToken).ConfigureAwait(false);
        return Answer(request, report, $"Input drift of {name} v{report.Current.Version}");
    }

    private static IResult Answer(HttpRequest request, DriftReport report, string title) => request.Query["format"].ToString() switch
    {
        "" or "json" => Results.Json(report, Json.Options),
        "html" => Results.Text(DriftReportPage.Render(report, title), "text/html; charset=utf-8"),
        var other => throw Invalid($"format must be json or html; it is '{other}'."),
    };

    private static VersionReference Version(string parameter, string text) =>
        VersionReference.TryParse(text, aliases: false, out var version) ? version : throw Invalid($"{parameter} must be a version number or latest; it is '{text}'.");

    private static FlywheelException Invalid(string detail) => new(ErrorKind.InvalidInput, "invalid-query", detail);
}
