using Flywheel.Api.Registry;
using Flywheel.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The model registry routes for hosts that route with ASP.NET Core (LocalHost); endpoint names are the Functions' function names.</summary>
public static class RegistryApi
{
    public static IEndpointRouteBuilder MapRegistryApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Routes.ModelVersions, (HttpRequest r, string name, ModelEndpoints m, CancellationToken ct) => m.RegisterAsync(r, name, ct)).WithName("RegisterModelVersion");
        endpoints.MapGet(Routes.Models, (HttpRequest r, ModelEndpoints m, CancellationToken ct) => m.ListAsync(r, ct)).WithName("ListModels");
        endpoints.MapGet(Routes.Model, (HttpRequest r, string name, ModelEndpoints m, CancellationToken ct) => m.GetModelAsync(r, name, ct)).WithName("GetModel");
        endpoints.MapGet(Routes.ModelVersion, (HttpRequest r, string name, string version, ModelEndpoints m, CancellationToken ct) => m.GetVersionAsync(r, name, version, ct)).WithName("GetModelVersion");
        endpoints.MapPatch(Routes.ModelVersion, (HttpRequest r, string name, string version, ModelEndpoints m, CancellationToken ct) => m.PatchVersionAsync(r, name, version, ct)).WithName("PatchModelVersion");
        endpoints.MapDelete(Routes.ModelVersion, (HttpRequest r, string name, string version, ModelEndpoints m, CancellationToken ct) => m.ArchiveVersionAsync(r, name, version, ct)).WithName("ArchiveModelVersion");
        endpoints.MapGet(Routes.ModelContent, (HttpRequest r, string name, string version, ModelEndpoints m, CancellationToken ct) => m.GetContentAsync(r, name, version, ct)).WithName("GetModelContent");
        endpoints.MapGet(Routes.ModelCard, (HttpRequest r, string name, string version, ModelEndpoints m, CancellationToken ct) => m.GetCardAsync(r, name, version, ct)).WithName("GetModelCard");
        endpoints.MapPut(Routes.ModelAlias, (HttpRequest r, string name, string alias, ModelEndpoints m, CancellationToken ct) => m.SetAliasAsync(r, name, alias, ct)).WithName("SetModelAlias");
        endpoints.MapDelete(Routes.ModelAlias, (HttpRequest r, string name, string alias, ModelEndpoints m, CancellationToken ct) => m.DeleteAliasAsync(r, name, alias, ct)).WithName("DeleteModelAlias");
        endpoints.MapGet(Routes.ModelHistory, (HttpRequest r, string name, ModelEndpoints m, CancellationToken ct) => m.HistoryAsync(r, name, ct)).WithName("GetModelHistory");
        return endpoints;
    }
}
