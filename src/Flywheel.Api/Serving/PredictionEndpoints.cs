using System.Globalization;
using System.Text.Json;
using Flywheel.Api.Access;
using Flywheel.Api.Problems;
using Flywheel.Api.Requests;
using Flywheel.Registry;
using Flywheel.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Flywheel.Api.Serving;

/// <summary>Record-style predictions (Flywheel's and MLflow's body shapes), deployments and feedback.</summary>
public sealed class PredictionEndpoints(Caller caller, Predictor predictor, ModelRegistry registry, TargetResolver targets, ServingStats stats, FeedbackStore feedback, IOptions<ServingOptions> options)
{
    public const string ModelVersionHeader = "X-Model-Version";
    public const string RequestIdHeader = "X-Request-Id";

    public Task<IResult> PredictAsync(HttpRequest request, string name, CancellationToken cancellationToken) =>
        ScoreAsync(request, name, null, cancellationToken);

    public async Task<IResult> PredictVersionAsync(HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        Problem.InvalidName("model", name) is { } invalid
            ? invalid
            : await ScoreAsync(request, name, await registry.PinAsync(name, VersionReference.Parse(version), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<IResult> PutDeploymentAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deployment = await RequestJson.ReadAsync<Deployment>(request, "invalid-deployment",
            """{"routes": [{"version": "champion", "weight": 90}, {"version": "challenger", "weight": 10}], "shadow": {"version": 5, "sample": 1.0}, "sticky": "X-User-Id"}""",
            cancellationToken).ConfigureAwait(false);
        if (deployment.Problems() is { Count: > 0 } problems)
        {
            return Problem.BadRequest("invalid-deployment", string.Join("; ", problems));
        }

        await registry.SetDeploymentAsync(name, deployment, caller.Name(request), cancellationToken).ConfigureAwait(false);
        return await GetDeploymentAsync(request, name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The deployment as declared and as its references resolve now.</summary>
    public async Task<IResult> GetDeploymentAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        var target = await targets.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return Results.Json(new DeploymentStatus(target.Deployment, stats.Counts(name), target.Describe(), target.Resolved), Json.Options);
    }

    /// <summary>Returns the model to its default routing (the champion, else the latest version): 204, or 404 when it had no deployment.</summary>
    public async Task<IResult> DeleteDeploymentAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        if (Problem.InvalidName("model", name) is { } invalid)
        {
            return invalid;
        }

        return await registry.DeleteDeploymentAsync(name, caller.Name(request), cancellationToken).ConfigureAwait(false)
            ? Results.NoContent()
            : Problem.NotFound($"Model '{name}' has no deployment: it serves its champion, else its latest version.");
    }

    public async Task<IResult> FeedbackAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Problem.InvalidName("model", name) is { } invalid)
        {
            return invalid;
        }

        var body = await RequestJson.ReadAsync<FeedbackRequest>(request, "invalid-feedback",
            """{"requestId": "<the X-Request-Id header of the prediction>", "actual": 1}""", cancellationToken, options.Value.MaxRequestBytes).ConfigureAwait(false);
        if (!RequestId.IsValid(body.RequestId))
        {
            return Problem.BadRequest("invalid-feedback", $"'{body.RequestId}' is not a request id Flywheel issues: use the X-Request-Id header of the prediction ({RequestId.Rule}).");
        }

        // Feedback for a model that does not exist could never be joined to a prediction.
        await targets.GetAsync(name, cancellationToken).ConfigureAwait(false);
        var stored = await feedback.WriteAsync(name, body.RequestId, body.Actual, cancellationToken).ConfigureAwait(false);
        return Results.Json(stored, Json.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private async Task<IResult> ScoreAsync(HttpRequest request, string name, int? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Problem.InvalidName("model", name) is { } invalid)
        {
            return invalid;
        }

        string requestId;
        if (request.Headers[RequestIdHeader].ToString() is { Length: > 0 } given)
        {
            if (!RequestId.IsValid(given))
            {
                return Problem.BadRequest("invalid-request-id", $"The {RequestIdHeader} header must have {RequestId.Rule}.");
            }

            requestId = given;
        }
        else
        {
            requestId = RequestId.New();
        }

        var response = request.HttpContext.Response;
        response.Headers[RequestIdHeader] = requestId;
        try
        {
            var bytes = await RequestBody.ReadAsync(request, options.Value.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
            Func<string, string?> header = header => request.Headers[header].ToString() is { Length: > 0 } v ? v : null;
            var result = predictor.TryPredictRecords(name, version, bytes, header, requestId);
            if (result is null)
            {
                using var body = RequestJson.Parse(bytes);
                result = await predictor.PredictAsync(name, version, body.RootElement, header, requestId, cancellationToken).ConfigureAwait(false);
            }

            response.Headers[ModelVersionHeader] = result.Version.ToString(CultureInfo.InvariantCulture);
            return new PredictionResponse(result);
        }
        catch (Exception ex) when (FailureResponse.Classify(ex) is { } failure)
        {
            // Counted here, answered by the host's one failure mapping.
            stats.Failed(name, failure.Code);
            throw;
        }
    }

    private sealed record FeedbackRequest(string RequestId, JsonElement Actual);
}
