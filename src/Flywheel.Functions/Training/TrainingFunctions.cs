using Flywheel.Api.Routing;
using Flywheel.Api.Training;
using Flywheel.Functions.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Flywheel.Functions.Training;

/// <summary>The training and tracking routes; starting a run gets Durable Functions' client from its binding.</summary>
public sealed class TrainingFunctions(TrainingEndpoints training, RunEndpoints runs)
{
    [Function(nameof(StartTraining))]
    public Task<IResult> StartTraining(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.TrainingPipelines)] HttpRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        training.StartAsync(request, new DurablePipelineClient(client), cancellationToken);

    [Function(nameof(SaveTrainingSpec))]
    public Task<IResult> SaveTrainingSpec(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = Routes.ModelTraining)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        training.SaveSpecAsync(request, name, cancellationToken);

    [Function(nameof(GetTrainingSpec))]
    public Task<IResult> GetTrainingSpec(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.ModelTraining)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        training.GetSpecAsync(name, cancellationToken);

    [Function(nameof(TrainModel))]
    public Task<IResult> TrainModel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.ModelTrain)] HttpRequest request, string name,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        training.TrainAsync(request, name, new DurablePipelineClient(client), cancellationToken);

    [Function(nameof(GetPipelineReport))]
    public Task<IResult> GetPipelineReport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.PipelineReport)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        training.ReportAsync(id, cancellationToken);

    [Function(nameof(ListRuns))]
    public Task<IResult> ListRuns(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Runs)] HttpRequest request, CancellationToken cancellationToken) =>
        runs.ListAsync(request, cancellationToken);

    [Function(nameof(GetRun))]
    public Task<IResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Run)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        runs.GetAsync(id, cancellationToken);

    [Function(nameof(GetModelMetrics))]
    public Task<IResult> GetModelMetrics(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.ModelMetrics)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        runs.ModelMetricsAsync(name, cancellationToken);
}
