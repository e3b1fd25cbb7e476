using Flywheel.Api;
using Flywheel.Api.Pipelines;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The pipeline routes: batch scoring, and the status, output, events and end of any pipeline run.</summary>
public static class PipelineApi
{
    public static IEndpointRouteBuilder MapPipelineApi(this IEndpointRouteBuilder endpoints)
    {
        var pipelines = endpoints.MapGroup(string.Empty).WithTags("Pipelines").Naming("model")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        pipelines.MapPost(Routes.BatchPredictions, (HttpRequest r, string name, PipelineHandlers p, WorkflowClient w, CancellationToken ct) => p.StartBatchScoringAsync(r, name, w.Client, ct))
            .WithName("StartBatchPredictions").WithSummary("Score a dataset version with the model, as a pipeline (202)");
        pipelines.MapGet(Routes.Pipelines, (HttpRequest r, [AsParameters] PipelineListQuery q, [AsParameters] PageQuery page, PipelineHandlers p, WorkflowClient w, CancellationToken ct) => p.ListAsync(r, q, page, w.Client, ct))
            .WithName("ListPipelines").WithSummary("List pipeline runs by kind, status and creation time");
        pipelines.MapGet(Routes.Pipeline, (string id, PipelineHandlers p, WorkflowClient w, CancellationToken ct) => p.GetAsync(id, w.Client, ct))
            .WithName("GetPipeline").WithSummary("A pipeline run's status, progress and result");
        pipelines.MapGet(Routes.PipelineOutput, (HttpRequest r, string id, PipelineHandlers p, WorkflowClient w, CancellationToken ct) => p.OutputAsync(r, id, w.Client, ct))
            .WithName("GetPipelineOutput").WithSummary("Download a finished batch scoring run's predictions")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream");
        pipelines.MapPost(Routes.PipelineEvent, (HttpRequest r, string id, string @event, PipelineHandlers p, WorkflowClient w, CancellationToken ct) => p.RaiseEventAsync(r, id, @event, w.Client, ct))
            .WithName("RaisePipelineEvent").WithSummary("Send a waiting pipeline an event, such as a training approval");
        pipelines.MapPost(Routes.PipelineTerminate, ([AsParameters] TerminateQuery q, string id, PipelineHandlers p, WorkflowClient w, CancellationToken ct) => p.TerminateAsync(q, id, w.Client, ct))
            .WithName("TerminatePipeline").WithSummary("Stop a running pipeline (409 once it has ended)");
        return endpoints;
    }
}
