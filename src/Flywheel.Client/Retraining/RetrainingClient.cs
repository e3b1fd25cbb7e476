using Flywheel.Client.Http;
using Flywheel.Client.Pipelines;
using Flywheel.Contracts;
using Flywheel.Contracts.Retraining;

namespace Flywheel.Client.Retraining;

/// <summary>Continuous training: the policy, the retrainings it started, and a person's say over a running canary.</summary>
public sealed class RetrainingClient
{
    private readonly FlywheelHttp _http;
    private readonly PipelinesClient _pipelines;

    internal RetrainingClient(FlywheelHttp http, PipelinesClient pipelines)
    {
        _http = http;
        _pipelines = pipelines;
    }

    /// <summary>The model's policy with the defaults filled in, or null when it has none (it retrains only when asked).</summary>
    public Task<RetrainingPolicy?> GetPolicyAsync(string model, CancellationToken cancellationToken = default) =>
        _http.FindAsync<RetrainingPolicy>(ApiPath.Of(Routes.ModelPolicy, ("name", model)), cancellationToken);

    public Task<RetrainingPolicy> SetPolicyAsync(string model, RetrainingPolicy policy, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<RetrainingPolicy>(HttpMethod.Put, ApiPath.Of(Routes.ModelPolicy, ("name", model)), policy, cancellationToken);

    public Task DeletePolicyAsync(string model, CancellationToken cancellationToken = default) =>
        _http.SendAsync(HttpMethod.Delete, ApiPath.Of(Routes.ModelPolicy, ("name", model)), null, cancellationToken);

    /// <summary>The model's retrainings, newest first: trigger, each step with its check values, outcome.</summary>
    public IAsyncEnumerable<RetrainingRecord> ListAsync(string model, CancellationToken cancellationToken = default) =>
        _http.PagesAsync<RetrainingRecord>(ApiPath.Of(Routes.ModelRetrainings, ("name", model)), null, cancellationToken);

    public Task<RetrainingRecord> GetAsync(string model, string id, CancellationToken cancellationToken = default) =>
        _http.GetAsync<RetrainingRecord>(ApiPath.Of(Routes.ModelRetraining, ("name", model), ("id", id)), cancellationToken);

    /// <summary>Retrains now with the saved training spec; the record's id is also its pipeline's id.</summary>
    public Task<RetrainingRecord> StartAsync(string model, string? reason = null, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<RetrainingRecord>(HttpMethod.Post, ApiPath.Of(Routes.ModelRetrainings, ("name", model)), new RetrainingStartRequest(reason), cancellationToken);

    /// <summary>The retraining's pipeline, to wait for or terminate.</summary>
    public PipelineOperation Pipeline(string retrainingId) => _pipelines.Get(retrainingId);

    /// <summary>Sends a running retraining a person's decision: promote the candidate now, roll it back, pause or resume the canary.</summary>
    public Task SendAsync(string retrainingId, RetrainingCommand command, CancellationToken cancellationToken = default) =>
        _pipelines.RaiseEventAsync(retrainingId, WireNames.Of(command), null, cancellationToken);
}
