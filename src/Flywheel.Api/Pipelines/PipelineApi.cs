using Flywheel.Api.Pipelines;
using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The pipeline routes for hosts that route with ASP.NET Core; the <see cref="IPipelineClient"/> comes from the host's services.</summary>
public static class PipelineApi
{
    public static IEndpointRouteBuilder MapPipelineApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Routes.BatchPredictions, (HttpRequest r, string name, PipelineEndpoints p, IPipelineClient c, CancellationToken ct) => p.StartBatchScoringAsync(r, name, c, ct)).WithName("StartBatchPredictions");
        endpoints.MapGet(Routes.Pipelines, (HttpRequest r, PipelineEndpoints p, IPipelineClient c, CancellationToken ct) => p.ListAsync(r, c, ct)).WithName("ListPipelines");
        endpoints.MapGet(Routes.Pipeline, (string id, PipelineEndpoints p, IPipelineClient c, CancellationToken ct) => p.GetAsync(id, c, ct)).WithName("GetPipeline");
        endpoints.MapGet(Routes.PipelineOutput, (HttpRequest r, string id, PipelineEndpoints p, IPipelineClient c, CancellationToken ct) => p.OutputAsync(r, id, c, ct)).WithName("GetPipelineOutput");
        endpoints.MapPost(Routes.PipelineEvent, (HttpRequest r, string id, string @event, PipelineEndpoints p, IPipelineClient c, CancellationToken ct) => p.RaiseEventAsync(r, id, @event, c, ct)).WithName("RaisePipelineEvent");
        endpoints.MapPost(Routes.PipelineTerminate, (HttpRequest r, string id, PipelineEndpoints p, IPipelineClient c, CancellationToken ct) => p.TerminateAsync(r, id, c, ct)).WithName("TerminatePipeline");
        return endpoints;
    }
}
