using Flywheel.Api.Routing;
using Flywheel.Api.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Flywheel.Functions.Serving;

/// <summary>The Open Inference Protocol v2 routes. Health probes are anonymous; metadata and inference need a function key (x-functions-key header).</summary>
public sealed class OipFunctions(OipEndpoints oip)
{
    [Function(nameof(OipLive))]
    public IResult OipLive([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.OipLive)] HttpRequest request) => OipEndpoints.Live();

    [Function(nameof(OipReady))]
    public Task<IResult> OipReady([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.OipReady)] HttpRequest request, CancellationToken cancellationToken) =>
        oip.ReadyAsync(cancellationToken);

    [Function(nameof(OipServer))]
    public IResult OipServer([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.OipServer)] HttpRequest request) => OipEndpoints.Server();

    [Function(nameof(OipModel))]
    public Task<IResult> OipModel(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.OipModel)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        oip.ModelAsync(name, null, cancellationToken);

    [Function(nameof(OipModelVersion))]
    public Task<IResult> OipModelVersion(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.OipModelVersion)] HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        oip.ModelAsync(name, version, cancellationToken);

    [Function(nameof(OipModelReady))]
    public Task<IResult> OipModelReady(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.OipModelReady)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        oip.ModelReadyAsync(name, null, cancellationToken);

    [Function(nameof(OipModelVersionReady))]
    public Task<IResult> OipModelVersionReady(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.OipModelVersionReady)] HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        oip.ModelReadyAsync(name, version, cancellationToken);

    [Function(nameof(OipInfer))]
    public Task<IResult> OipInfer(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.OipInfer)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        oip.InferAsync(request, name, null, cancellationToken);

    [Function(nameof(OipInferVersion))]
    public Task<IResult> OipInferVersion(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.OipInferVersion)] HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        oip.InferAsync(request, name, version, cancellationToken);
}
