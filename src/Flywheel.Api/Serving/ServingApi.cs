using Flywheel.Api.Routing;
using Flywheel.Api.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The serving routes (records and the Open Inference Protocol) for hosts that route with ASP.NET Core; endpoint names are the Functions' function names.</summary>
public static class ServingApi
{
    public static IEndpointRouteBuilder MapServingApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // The scoring routes take their (singleton) handlers from the root provider once: a handler
        // parameter resolved per request makes ASP.NET Core create a service scope for every prediction.
        var predictions = endpoints.ServiceProvider.GetRequiredService<PredictionEndpoints>();
        var oip = endpoints.ServiceProvider.GetRequiredService<OipEndpoints>();
        endpoints.MapPost(Routes.Predict, (HttpRequest r, string name, CancellationToken ct) => predictions.PredictAsync(r, name, ct)).WithName("Predict");
        endpoints.MapPost(Routes.PredictVersion, (HttpRequest r, string name, string version, CancellationToken ct) => predictions.PredictVersionAsync(r, name, version, ct)).WithName("PredictVersion");
        endpoints.MapPut(Routes.Deployment, (HttpRequest r, string name, PredictionEndpoints p, CancellationToken ct) => p.PutDeploymentAsync(r, name, ct)).WithName("PutDeployment");
        endpoints.MapGet(Routes.Deployment, (HttpRequest r, string name, PredictionEndpoints p, CancellationToken ct) => p.GetDeploymentAsync(r, name, ct)).WithName("GetDeployment");
        endpoints.MapDelete(Routes.Deployment, (HttpRequest r, string name, PredictionEndpoints p, CancellationToken ct) => p.DeleteDeploymentAsync(r, name, ct)).WithName("DeleteDeployment");
        endpoints.MapPost(Routes.Feedback, (HttpRequest r, string name, PredictionEndpoints p, CancellationToken ct) => p.FeedbackAsync(r, name, ct)).WithName("PostFeedback");

        endpoints.MapGet(Routes.OipLive, () => OipEndpoints.Live()).WithName("OipLive");
        endpoints.MapGet(Routes.OipReady, (OipEndpoints o, CancellationToken ct) => o.ReadyAsync(ct)).WithName("OipReady");
        endpoints.MapGet(Routes.OipServer, () => OipEndpoints.Server()).WithName("OipServer");
        endpoints.MapGet(Routes.OipModel, (string name, OipEndpoints o, CancellationToken ct) => o.ModelAsync(name, null, ct)).WithName("OipModel");
        endpoints.MapGet(Routes.OipModelVersion, (string name, string version, OipEndpoints o, CancellationToken ct) => o.ModelAsync(name, version, ct)).WithName("OipModelVersion");
        endpoints.MapGet(Routes.OipModelReady, (string name, OipEndpoints o, CancellationToken ct) => o.ModelReadyAsync(name, null, ct)).WithName("OipModelReady");
        endpoints.MapGet(Routes.OipModelVersionReady, (string name, string version, OipEndpoints o, CancellationToken ct) => o.ModelReadyAsync(name, version, ct)).WithName("OipModelVersionReady");
        endpoints.MapPost(Routes.OipInfer, (HttpRequest r, string name, CancellationToken ct) => oip.InferAsync(r, name, null, ct)).WithName("OipInfer");
        endpoints.MapPost(Routes.OipInferVersion, (HttpRequest r, string name, string version, CancellationToken ct) => oip.InferAsync(r, name, version, ct)).WithName("OipInferVersion");
        return endpoints;
    }
}
