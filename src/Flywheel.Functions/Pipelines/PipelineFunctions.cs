using Flywheel.Api.Pipelines;
using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Flywheel.Functions.Pipelines;

/// <summary>The pipeline routes; each gets Durable Functions' client from its binding. The orchestrations themselves are registered in Program.cs.</summary>
public sealed class PipelineFunctions(PipelineEndpoints pipelines)
{
    [Function(nameof(StartBatchPredictions))]
    public Task<IResult> StartBatchPredictions(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.BatchPredictions)] HttpRequest request, string name,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        pipelines.StartBatchScoringAsync(request, name, new DurablePipelineClient(client), cancellationToken);

    [Function(nameof(ListPipelines))]
    public Task<IResult> ListPipelines(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Pipelines)] HttpRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        pipelines.ListAsync(request, new DurablePipelineClient(client), cancellationToken);

    [Function(nameof(GetPipeline))]
    public Task<IResult> GetPipeline(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Pipeline)] HttpRequest request, string id,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        pipelines.GetAsync(id, new DurablePipelineClient(client), cancellationToken);

    [Function(nameof(GetPipelineOutput))]
    public Task<IResult> GetPipelineOutput(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.PipelineOutput)] HttpRequest request, string id,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        pipelines.OutputAsync(request, id, new DurablePipelineClient(client), cancellationToken);

    [Function(nameof(RaisePipelineEvent))]
    public Task<IResult> RaisePipelineEvent(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.PipelineEvent)] HttpRequest request, string id, string @event,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        pipelines.RaiseEventAsync(request, id, @event, new DurablePipelineClient(client), cancellationToken);

    [Function(nameof(TerminatePipeline))]
    public Task<IResult> TerminatePipeline(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.PipelineTerminate)] HttpRequest request, string id,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        pipelines.TerminateAsync(request, id, new DurablePipelineClient(client), cancellationToken);
}
