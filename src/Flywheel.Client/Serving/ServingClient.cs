using System.Net.Http.Json;
using System.Text;
using Flywheel.Client.Http;
using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Flywheel.Contracts.Serving;

namespace Flywheel.Client.Serving;

/// <summary>A records prediction's answer, with what came back in headers: the request id feedback names, and the columns left out.</summary>
public sealed record PredictionResult(PredictionResponse Response, string? RequestId, IReadOnlyList<string> IgnoredColumns)
{
    public ServedVersion Model => Response.Model;

    public IReadOnlyList<Prediction> Predictions => Response.Predictions;
}

/// <summary>Serving: predictions (records or CSV), the deployment's routes and signal, and feedback on what was predicted.</summary>
public sealed class ServingClient
{
    private readonly FlywheelHttp _http;

    internal ServingClient(FlywheelHttp http) => _http = http;

    /// <summary>
    /// Scores JSON records (<c>[{"col": value}, ...]</c> or any of the body shapes the route reads) with the model's deployment,
    /// else its champion, else its latest version; or with <paramref name="version"/> (a number, <c>latest</c> or an alias).
    /// </summary>
    public Task<PredictionResult> PredictAsync(string name, object records, string? version = null, string? requestId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return SendAsync(name, version, requestId, JsonContent.Create(records, records.GetType(), options: FlywheelHttp.Json), cancellationToken);
    }

    /// <summary>Scores CSV rows (a header line, then one row per line), as the route reads <c>text/csv</c>.</summary>
    public Task<PredictionResult> PredictCsvAsync(string name, string csv, string? version = null, string? requestId = null, CancellationToken cancellationToken = default) =>
        SendAsync(name, version, requestId, new StringContent(csv, Encoding.UTF8, "text/csv"), cancellationToken);

    private async Task<PredictionResult> SendAsync(string name, string? version, string? requestId, HttpContent body, CancellationToken cancellationToken)
    {
        using (body)
        {
            var path = version is null ? ApiPath.Of(Routes.Predict, ("name", name)) : ApiPath.Of(Routes.PredictVersion, ("name", name), ("version", version));
            var headers = requestId is null ? null : new Dictionary<string, string> { [WireHeaders.RequestId] = requestId };
            using var response = await _http.SendRawAsync(HttpMethod.Post, path, body, cancellationToken, headers: headers).ConfigureAwait(false);
            var answer = await FlywheelHttp.ReadAsync<PredictionResponse>(response, cancellationToken).ConfigureAwait(false);
            var id = response.Headers.TryGetValues(WireHeaders.RequestId, out var ids) ? ids.FirstOrDefault() : null;
            var ignored = response.Headers.TryGetValues(WireHeaders.IgnoredColumnNames, out var names)
                ? names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
                : [];
            return new PredictionResult(answer, id, ignored);
        }
    }

    /// <summary>
    /// An Open Inference Protocol v2 inference (<c>{"inputs": [{"name", "shape", "datatype", "data"}]}</c>), answered as the
    /// protocol's JSON; its <c>{"error"}</c> answers raise <see cref="FlywheelRequestException"/> like every other error.
    /// </summary>
    public Task<System.Text.Json.JsonElement> InferAsync(string name, object request, string? version = null, CancellationToken cancellationToken = default)
    {
        var path = version is null ? ApiPath.Of(Routes.OipInfer, ("name", name)) : ApiPath.Of(Routes.OipInferVersion, ("name", name), ("version", version));
        return _http.SendJsonAsync<System.Text.Json.JsonElement>(HttpMethod.Post, path, request, cancellationToken);
    }

    /// <summary>The model's deployment: its routes as declared and as resolved, its shadow, and each version's live signal.</summary>
    public Task<DeploymentStatus> GetDeploymentAsync(string name, CancellationToken cancellationToken = default) =>
        _http.GetAsync<DeploymentStatus>(ApiPath.Of(Routes.Deployment, ("name", name)), cancellationToken);

    /// <summary>Splits the model's traffic between versions by weight, with an optional shadow.</summary>
    public Task<DeploymentStatus> DeployAsync(string name, Deployment deployment, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<DeploymentStatus>(HttpMethod.Put, ApiPath.Of(Routes.Deployment, ("name", name)), deployment, cancellationToken);

    /// <summary>Removes the deployment: the model serves its champion, else its latest version.</summary>
    public Task DeleteDeploymentAsync(string name, CancellationToken cancellationToken = default) =>
        _http.SendAsync(HttpMethod.Delete, ApiPath.Of(Routes.Deployment, ("name", name)), null, cancellationToken);

    /// <summary>Records what actually happened for a prediction the app logged (by its request id), for performance monitoring.</summary>
    public Task<Feedback> SendFeedbackAsync(string name, string requestId, System.Text.Json.JsonElement actual, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<Feedback>(HttpMethod.Post, ApiPath.Of(Routes.Feedback, ("name", name)), new FeedbackRequest(requestId, actual), cancellationToken);
}
