using Flywheel.Client.Http;
using Flywheel.Client.Pipelines;
using Flywheel.Contracts;
using Flywheel.Contracts.Pipelines;
using Flywheel.Contracts.Training;

namespace Flywheel.Client.Training;

/// <summary>Training: start a training pipeline, save the spec a model is (re)trained with, and batch scoring, as operations to wait for.</summary>
public sealed class TrainingClient
{
    private readonly FlywheelHttp _http;
    private readonly PipelinesClient _pipelines;

    internal TrainingClient(FlywheelHttp http, PipelinesClient pipelines)
    {
        _http = http;
        _pipelines = pipelines;
    }

    /// <summary>Starts a training pipeline; the request is checked first, so a bad label or dataset raises here, not in a failed run.</summary>
    public async Task<PipelineOperation> StartAsync(TrainingRequest request, CancellationToken cancellationToken = default) =>
        _pipelines.Started(await _http.SendJsonAsync<PipelineStarted>(HttpMethod.Post, ApiPath.Of(Routes.TrainingPipelines), request, cancellationToken).ConfigureAwait(false));

    /// <summary>Saves the spec the model is trained and retrained with.</summary>
    public Task<TrainingRequest> SaveSpecAsync(string model, TrainingRequest request, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<TrainingRequest>(HttpMethod.Put, ApiPath.Of(Routes.ModelTraining, ("name", model)), request, cancellationToken);

    public Task<TrainingRequest> GetSpecAsync(string model, CancellationToken cancellationToken = default) =>
        _http.GetAsync<TrainingRequest>(ApiPath.Of(Routes.ModelTraining, ("name", model)), cancellationToken);

    /// <summary>Trains the model with its saved spec.</summary>
    public async Task<PipelineOperation> TrainAsync(string model, CancellationToken cancellationToken = default) =>
        _pipelines.Started(await _http.SendJsonAsync<PipelineStarted>(HttpMethod.Post, ApiPath.Of(Routes.ModelTrain, ("name", model)), null, cancellationToken).ConfigureAwait(false));

    /// <summary>A training run's HTML report: trials, the gate and lineage.</summary>
    public Task<string> GetReportAsync(string pipelineId, CancellationToken cancellationToken = default) =>
        _http.GetTextAsync(ApiPath.Of(Routes.PipelineReport, ("id", pipelineId)), "text/html", cancellationToken);

    /// <summary>Scores every row of a dataset version with the model, offline; download the output when it completes.</summary>
    public async Task<PipelineOperation> StartBatchScoringAsync(string model, BatchScoringRequest request, CancellationToken cancellationToken = default) =>
        _pipelines.Started(await _http.SendJsonAsync<PipelineStarted>(HttpMethod.Post, ApiPath.Of(Routes.BatchPredictions, ("name", model)), request, cancellationToken)
            .ConfigureAwait(false));
}
