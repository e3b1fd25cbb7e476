using Flywheel.Api.Datasets;
using Flywheel.Api.Health;
using Flywheel.Api.Registry;
using Flywheel.Api.Serving;
using Flywheel.Api.Routing;

namespace Flywheel.LocalHost;

/// <summary>LocalHost's route table: the same <see cref="Routes"/> the Functions host declares, bound to the same handlers.</summary>
public static class FlywheelEndpoints
{
    public static IEndpointRouteBuilder MapFlywheelEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Routes.Health, (HttpRequest r, HealthEndpoint h, CancellationToken ct) => h.GetAsync(r, ct));

        endpoints.MapPut(Routes.Dataset, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.PutAsync(r, name, ct));
        endpoints.MapGet(Routes.Datasets, (HttpRequest r, DatasetEndpoints d, CancellationToken ct) => d.ListAsync(r, ct));
        endpoints.MapGet(Routes.DatasetVersions, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.ListVersionsAsync(r, name, ct));
        endpoints.MapGet(Routes.DatasetVersion, (HttpRequest r, string name, string version, DatasetEndpoints d, CancellationToken ct) => d.GetVersionAsync(r, name, version, ct));
        endpoints.MapGet(Routes.DatasetContent, (HttpRequest r, string name, string version, DatasetEndpoints d, CancellationToken ct) => d.GetContentAsync(r, name, version, ct));
        endpoints.MapGet(Routes.DatasetDiff, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.DiffAsync(r, name, ct));
        endpoints.MapPut(Routes.DatasetContract, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.PutContractAsync(r, name, ct));
        endpoints.MapGet(Routes.DatasetContract, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.GetContractAsync(r, name, ct));
        endpoints.MapGet(Routes.DatasetQuarantine, (HttpRequest r, string name, DatasetEndpoints d, CancellationToken ct) => d.ListQuarantineAsync(r, name, ct));

        endpoints.MapPost(Routes.ModelVersions, (HttpRequest r, string name, ModelEndpoints m, CancellationToken ct) => m.RegisterAsync(r, name, ct));
        endpoints.MapGet(Routes.Models, (HttpRequest r, ModelEndpoints m, CancellationToken ct) => m.ListAsync(r, ct));
        endpoints.MapGet(Routes.Model, (HttpRequest r, string name, ModelEndpoints m, CancellationToken ct) => m.GetModelAsync(r, name, ct));
        endpoints.MapGet(Routes.ModelVersion, (HttpRequest r, string name, string version, ModelEndpoints m, CancellationToken ct) => m.GetVersionAsync(r, name, version, ct));
        endpoints.MapPatch(Routes.ModelVersion, (HttpRequest r, string name, string version, ModelEndpoints m, CancellationToken ct) => m.PatchVersionAsync(r, name, version, ct));
        endpoints.MapDelete(Routes.ModelVersion, (HttpRequest r, string name, string version, ModelEndpoints m, CancellationToken ct) => m.ArchiveVersionAsync(r, name, version, ct));
        endpoints.MapGet(Routes.ModelContent, (HttpRequest r, string name, string version, ModelEndpoints m, CancellationToken ct) => m.GetContentAsync(r, name, version, ct));
        endpoints.MapGet(Routes.ModelCard, (HttpRequest r, string name, string version, ModelEndpoints m, CancellationToken ct) => m.GetCardAsync(r, name, version, ct));
        endpoints.MapPut(Routes.ModelAlias, (HttpRequest r, string name, string alias, ModelEndpoints m, CancellationToken ct) => m.SetAliasAsync(r, name, alias, ct));
        endpoints.MapDelete(Routes.ModelAlias, (HttpRequest r, string name, string alias, ModelEndpoints m, CancellationToken ct) => m.DeleteAliasAsync(r, name, alias, ct));
        endpoints.MapGet(Routes.ModelHistory, (HttpRequest r, string name, ModelEndpoints m, CancellationToken ct) => m.HistoryAsync(r, name, ct));

        endpoints.MapPost(Routes.Predict, (HttpRequest r, string name, PredictionEndpoints p, CancellationToken ct) => p.PredictAsync(r, name, ct));
        endpoints.MapPost(Routes.PredictVersion, (HttpRequest r, string name, string version, PredictionEndpoints p, CancellationToken ct) => p.PredictVersionAsync(r, name, version, ct));
        endpoints.MapPut(Routes.Deployment, (HttpRequest r, string name, PredictionEndpoints p, CancellationToken ct) => p.PutDeploymentAsync(r, name, ct));
        endpoints.MapGet(Routes.Deployment, (HttpRequest r, string name, PredictionEndpoints p, CancellationToken ct) => p.GetDeploymentAsync(r, name, ct));
        endpoints.MapPost(Routes.Feedback, (HttpRequest r, string name, PredictionEndpoints p, CancellationToken ct) => p.FeedbackAsync(r, name, ct));

        endpoints.MapGet(Routes.OipLive, () => OipEndpoints.Live());
        endpoints.MapGet(Routes.OipReady, (OipEndpoints o, CancellationToken ct) => o.ReadyAsync(ct));
        endpoints.MapGet(Routes.OipServer, () => OipEndpoints.Server());
        endpoints.MapGet(Routes.OipModel, (string name, OipEndpoints o, CancellationToken ct) => o.ModelAsync(name, null, ct));
        endpoints.MapGet(Routes.OipModelVersion, (string name, string version, OipEndpoints o, CancellationToken ct) => o.ModelAsync(name, version, ct));
        endpoints.MapGet(Routes.OipModelReady, (string name, OipEndpoints o, CancellationToken ct) => o.ModelReadyAsync(name, null, ct));
        endpoints.MapGet(Routes.OipModelVersionReady, (string name, string version, OipEndpoints o, CancellationToken ct) => o.ModelReadyAsync(name, version, ct));
        endpoints.MapPost(Routes.OipInfer, (HttpRequest r, string name, OipEndpoints o, CancellationToken ct) => o.InferAsync(r, name, null, ct));
        endpoints.MapPost(Routes.OipInferVersion, (HttpRequest r, string name, string version, OipEndpoints o, CancellationToken ct) => o.InferAsync(r, name, version, ct));
        return endpoints;
    }
}
