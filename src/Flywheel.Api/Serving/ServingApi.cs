using Flywheel.Api.Routing;
using Flywheel.Api.Serving;
using Flywheel.Contracts;
using Flywheel.Contracts.Serving;
using Flywheel.Serving.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The serving routes: records, deployments and feedback, and the Open Inference Protocol v2 (its health probes open without a key).</summary>
public static class ServingApi
{
    public static IEndpointRouteBuilder MapServingApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // The scoring routes take their (singleton) handlers from the root provider, on first use: a handler
        // parameter resolved per request makes ASP.NET Core create a service scope for every prediction, and
        // resolving while mapping would build the scoring stack for hosts that only read the declaration.
        var services = endpoints.ServiceProvider;
        PredictionHandlers? predictions = null;
        OipHandlers? oip = null;
        PredictionHandlers Predictions() => predictions ??= services.GetRequiredService<PredictionHandlers>();
        OipHandlers Oip() => oip ??= services.GetRequiredService<OipHandlers>();

        var serving = endpoints.MapGroup(string.Empty).WithTags("Serving").Naming("model");
        serving.MapPost(Routes.Predict, (HttpRequest r, string name, CancellationToken ct) => Predictions().PredictAsync(r, name, ct))
            .WithName("Predict").WithSummary("Score records (JSON, MLflow JSON or CSV) with the model's deployment or champion")
            .Produces<PredictionResult>(StatusCodes.Status200OK, "application/json");
        serving.MapPost(Routes.PredictVersion, (HttpRequest r, string name, string version, CancellationToken ct) => Predictions().PredictVersionAsync(r, name, version, ct))
            .WithName("PredictVersion").WithSummary("Score records with one version, by number, 'latest' or alias")
            .Produces<PredictionResult>(StatusCodes.Status200OK, "application/json");
        serving.MapPut(Routes.Deployment, (HttpRequest r, string name, PredictionHandlers p, CancellationToken ct) => p.PutDeploymentAsync(r, name, ct))
            .WithName("PutDeployment").WithSummary("Split the model's traffic between versions or aliases, with an optional shadow");
        serving.MapGet(Routes.Deployment, (HttpRequest r, string name, PredictionHandlers p, CancellationToken ct) => p.GetDeploymentAsync(r, name, ct))
            .WithName("GetDeployment").WithSummary("The model's deployment and what each target has served");
        serving.MapDelete(Routes.Deployment, (HttpRequest r, string name, PredictionHandlers p, CancellationToken ct) => p.DeleteDeploymentAsync(r, name, ct))
            .WithName("DeleteDeployment").WithSummary("Remove the deployment: predictions go to the champion again");
        serving.MapPost(Routes.Feedback, (HttpRequest r, string name, PredictionHandlers p, CancellationToken ct) => p.FeedbackAsync(r, name, ct))
            .WithName("PostFeedback").WithSummary("Send the true labels of served predictions, by request id");

        var oipGroup = endpoints.MapGroup(string.Empty).WithTags("Open Inference Protocol");
        oipGroup.MapGet(Routes.OipLive, () => OipHandlers.Live())
            .WithName("OipLive").WithSummary("Server liveness").AllowAnonymous();
        oipGroup.MapGet(Routes.OipReady, (OipHandlers o, CancellationToken ct) => o.ReadyAsync(ct))
            .WithName("OipReady").WithSummary("Server readiness: storage reachable").AllowAnonymous();
        oipGroup.MapGet(Routes.OipServer, () => OipHandlers.Server())
            .WithName("OipServer").WithSummary("Server metadata and protocol extensions").AllowAnonymous()
            .Produces<OipServerMetadata>(StatusCodes.Status200OK, "application/json");
        oipGroup.MapGet(Routes.OipModel, (string name, OipHandlers o, CancellationToken ct) => o.ModelAsync(name, null, ct))
            .WithName("OipModel").WithSummary("The champion's inputs and outputs as tensors")
            .Produces<OipModelMetadata>(StatusCodes.Status200OK, "application/json");
        oipGroup.MapGet(Routes.OipModelVersion, (string name, string version, OipHandlers o, CancellationToken ct) => o.ModelAsync(name, version, ct))
            .WithName("OipModelVersion").WithSummary("One version's inputs and outputs as tensors")
            .Produces<OipModelMetadata>(StatusCodes.Status200OK, "application/json");
        oipGroup.MapGet(Routes.OipModelReady, (string name, OipHandlers o, CancellationToken ct) => o.ModelReadyAsync(name, null, ct))
            .WithName("OipModelReady").WithSummary("Whether the champion can be served");
        oipGroup.MapGet(Routes.OipModelVersionReady, (string name, string version, OipHandlers o, CancellationToken ct) => o.ModelReadyAsync(name, version, ct))
            .WithName("OipModelVersionReady").WithSummary("Whether one version can be served");
        oipGroup.MapPost(Routes.OipInfer, (HttpRequest r, string name, CancellationToken ct) => Oip().InferAsync(r, name, null, ct))
            .WithName("OipInfer").WithSummary("Infer with the model's deployment or champion")
            .Produces<object>(StatusCodes.Status200OK, "application/json");
        oipGroup.MapPost(Routes.OipInferVersion, (HttpRequest r, string name, string version, CancellationToken ct) => Oip().InferAsync(r, name, version, ct))
            .WithName("OipInferVersion").WithSummary("Infer with one version")
            .Produces<object>(StatusCodes.Status200OK, "application/json");
        return endpoints;
    }
}
