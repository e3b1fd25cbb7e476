using System.Globalization;
using System.Text.Json;
using Flywheel.Api.Access;
using Flywheel.Api.Problems;
using Flywheel.Api.Requests;
using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Flywheel.Contracts.Serving;
using Flywheel.Registry;
using Flywheel.Serving;
using Flywheel.Serving.Observation;
using Flywheel.Serving.Records;
using Flywheel.Serving.Routing;
using Flywheel.Serving.Runtime;
using Flywheel.Serving.Signal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Flywheel.Api.Serving;

/// <summary>Record-style predictions (Flywheel's and MLflow's JSON body shapes, or text/csv), deployments and feedback.</summary>
public sealed class PredictionHandlers(Caller caller, Predictor predictor, ModelRegistry registry, TargetResolver targets, ServingStats stats, FeedbackStore feedback,
    SignalStore signal, TimeProvider time, IOptions<ServingOptions> options)
{
    public const string ModelVersionHeader = WireHeaders.ModelVersion;
    public const string RequestIdHeader = WireHeaders.RequestId;

    /// <summary>Set when columns were left out (<c>extraColumns: ignore</c>): how many.</summary>
    public const string IgnoredColumnsHeader = WireHeaders.IgnoredColumns;

    /// <summary>Set with <see cref="IgnoredColumnsHeader"/>: which, as <see cref="IgnoredColumnNames"/> lists them.</summary>
    public const string IgnoredColumnNamesHeader = WireHeaders.IgnoredColumnNames;

    // A header is no place for a wide frame's every column: the count is always whole.
    private const int MaxIgnoredNames = 20;
    private const int MaxIgnoredNamesLength = 1024;

    // ValueTasks: a warm model answers without waiting, and its answer then costs no task.
    public ValueTask<IResult> PredictAsync(HttpRequest request, string name, CancellationToken cancellationToken) =>
        ScoreAsync(request, name, null, cancellationToken);

    public async ValueTask<IResult> PredictVersionAsync(HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        await ScoreAsync(request, name, await registry.PinAsync(name, VersionReference.Parse(version), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<Results<Ok<DeploymentStatus>, ProblemHttpResult>> PutDeploymentAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deployment = await RequestJson.ReadAsync<Deployment>(request, ProblemTypes.InvalidDeployment,
            """{"routes": [{"version": "champion", "weight": 90}, {"version": "challenger", "weight": 10}], "shadow": {"version": 5, "sample": 1.0}, "sticky": "X-User-Id"}""",
            cancellationToken).ConfigureAwait(false);
        if (deployment.Problems() is { Count: > 0 } problems)
        {
            return Problem.BadRequest(ProblemTypes.InvalidDeployment, string.Join("; ", problems));
        }

        await registry.SetDeploymentAsync(name, deployment, caller.Name(request), cancellationToken).ConfigureAwait(false);
        return await GetDeploymentAsync(request, name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The deployment as declared and as its references resolve now, with every version's signal over the last 15 minutes on all instances.</summary>
    public async Task<Ok<DeploymentStatus>> GetDeploymentAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        var target = await targets.GetAsync(name, cancellationToken).ConfigureAwait(false);
        var now = ServingSignal.MinuteOf(time.GetUtcNow());
        var counts = await signal.SumAllAsync(name, now + 1 - DeploymentStatus.SignalMinutes, now + 1, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new DeploymentStatus(target.Deployment, stats.Counts(name), target.Describe(), target.Resolved)
        {
            Signal = counts.Count == 0 ? null : [.. counts.Select(c => VersionSignal(c.Key, c.Value))],
        });
    }

    private static VersionSignal VersionSignal(int version, SignalCounts counts) =>
        new(version, counts.Requests, counts.Errors, Finite(counts.ErrorRate), Finite(counts.LatencyP99Ms), counts.ShadowCompared, counts.ShadowAgreed,
            counts.Shadow?.Requests ?? 0, counts.Shadow?.Errors ?? 0);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>Returns the model to its default routing (the champion, else the latest version): 204, or 404 when it had no deployment.</summary>
    public async Task<Results<NoContent, ProblemHttpResult>> DeleteDeploymentAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        return await registry.DeleteDeploymentAsync(name, caller.Name(request), cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : Problem.NotFound($"Model '{name}' has no deployment: it serves its champion, else its latest version.");
    }

    public async Task<Results<Accepted<Feedback>, ProblemHttpResult>> FeedbackAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await RequestJson.ReadAsync<FeedbackRequest>(request, ProblemTypes.InvalidFeedback,
            """{"requestId": "<the X-Request-Id header of the prediction>", "actual": 1}""", cancellationToken, options.Value.MaxRequestBytes).ConfigureAwait(false);
        if (!RequestId.IsValid(body.RequestId))
        {
            return Problem.BadRequest(ProblemTypes.InvalidFeedback, $"'{body.RequestId}' is not a request id Flywheel issues: use the X-Request-Id header of the prediction ({RequestId.Rule}).");
        }

        // Feedback for a model that does not exist could never be joined to a prediction.
        await targets.GetAsync(name, cancellationToken).ConfigureAwait(false);
        var stored = await feedback.WriteAsync(name, body.RequestId, body.Actual, cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null, stored);
    }

    private async ValueTask<IResult> ScoreAsync(HttpRequest request, string name, int? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string requestId;
        if (request.Headers[RequestIdHeader].ToString() is { Length: > 0 } given)
        {
            if (!RequestId.IsValid(given))
            {
                return Problem.BadRequest(ProblemTypes.InvalidRequestId, $"The {RequestIdHeader} header must have {RequestId.Rule}.");
            }

            requestId = given;
        }
        else
        {
            requestId = RequestId.New();
        }

        var extraColumns = ExtraColumnsOf(request);
        var response = request.HttpContext.Response;
        response.Headers[RequestIdHeader] = requestId;
        try
        {
            // Nothing answered keeps the body's bytes (the log and the shadow copy what they take), so its buffer goes back to the pool.
            using var pooled = await RequestBody.ReadPooledAsync(request, options.Value.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
            var bytes = pooled.Memory;
            Func<string, string?> header = header => request.Headers[header].ToString() is { Length: > 0 } v ? v : null;
            PredictionResult? result;
            if (IsCsv(request))
            {
                // CSV has no place beside its rows for the setting: the query says it.
                result = await predictor.PredictCsvAsync(name, version, bytes.ToArray(), extraColumns ?? ExtraColumns.Reject, header, requestId, cancellationToken).ConfigureAwait(false);
            }
            else if ((result = predictor.TryPredictRecords(name, version, bytes, header, requestId)) is null)
            {
                using var body = RequestJson.Parse(bytes);
                result = await predictor.PredictAsync(name, version, body.RootElement, extraColumns, header, requestId, cancellationToken).ConfigureAwait(false);
            }

            response.Headers[ModelVersionHeader] = result.Version.ToString(CultureInfo.InvariantCulture);
            if (result.IgnoredColumns.Count > 0)
            {
                response.Headers[IgnoredColumnsHeader] = result.IgnoredColumns.Count.ToString(CultureInfo.InvariantCulture);
                response.Headers[IgnoredColumnNamesHeader] = IgnoredColumnNames(result.IgnoredColumns);
            }

            return new PredictionResponse(result);
        }
        catch (Exception ex) when (FailureResponse.Classify(ex) is { } failure)
        {
            // Counted here, answered by the host's one failure mapping.
            stats.Failed(name, failure.Code);
            throw;
        }
    }

    /// <summary>
    /// <c>label, passenger_id</c>: the first names left out (at most 20, and 1 KB), each
    /// percent-encoded (RFC 3986, so a comma or a non-ASCII letter cannot break the list), with
    /// <c>...</c> last when some were left off (<see cref="IgnoredColumnsHeader"/> counts them all).
    /// </summary>
    public static string IgnoredColumnNames(IReadOnlyList<string> ignored)
    {
        ArgumentNullException.ThrowIfNull(ignored);
        var value = new System.Text.StringBuilder();
        var listed = 0;
        foreach (var column in ignored)
        {
            var encoded = Uri.EscapeDataString(column);
            if (listed == MaxIgnoredNames || value.Length + encoded.Length + 2 > MaxIgnoredNamesLength)
            {
                break;
            }

            value.Append(listed++ == 0 ? string.Empty : ", ").Append(encoded);
        }

        return (listed < ignored.Count ? value.Append(listed == 0 ? "..." : ", ...") : value).ToString();
    }

    /// <summary>The query's <c>extraColumns</c>: null when it has none (a JSON body may then say it).</summary>
    private static ExtraColumns? ExtraColumnsOf(HttpRequest request) => !request.QueryString.HasValue ? null : request.Query[ExtraColumnsSetting.Name].ToString() switch
    {
        "" => null,
        var text when ExtraColumnsSetting.TryParse(text, out var value) => value,
        var other => throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidQuery, $"{ExtraColumnsSetting.Name} must be {ExtraColumnsSetting.Choices}; it is '{other}'."),
    };

    /// <summary>Whether the body is CSV (<c>text/csv</c>, any parameters); anything else is read as JSON, as it always was.</summary>
    private static bool IsCsv(HttpRequest request) =>
        request.ContentType is { } contentType
        && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) // the usual body: no header parsed for it
        && MediaTypeHeaderValue.TryParse(contentType, out var type) && type.MediaType.Equals(CsvBody.MediaType, StringComparison.OrdinalIgnoreCase);
}
