using Flywheel.Api;
using Flywheel.Api.Registry;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The model registry routes: versions with lineage, aliases, cards and the audit history.</summary>
public static class RegistryApi
{
    public static IEndpointRouteBuilder MapRegistryApi(this IEndpointRouteBuilder endpoints)
    {
        var models = endpoints.MapGroup(string.Empty).WithTags("Registry").Naming("model")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        models.MapPost(Routes.ModelVersions, (HttpRequest r, string name, ModelHandlers m, CancellationToken ct) => m.RegisterAsync(r, name, ct))
            .WithName("RegisterModelVersion").WithSummary("Register an ONNX model as the model's next version")
            .WithDescription("The body is the ONNX file, or multipart with the file and a metadata part naming the training dataset (lineage), description and tags.");
        models.MapGet(Routes.Models, (HttpRequest r, [AsParameters] PageQuery p, ModelHandlers m, CancellationToken ct) => m.ListAsync(r, p, ct))
            .WithName("ListModels").WithSummary("List registered models, a page at a time");
        models.MapGet(Routes.Model, (HttpRequest r, [AsParameters] PageQuery p, string name, ModelHandlers m, CancellationToken ct) => m.GetModelAsync(r, p, name, ct))
            .WithName("GetModel").WithSummary("Get a model with its aliases and a page of its versions");
        models.MapGet(Routes.ModelVersion, (HttpRequest r, string name, string version, ModelHandlers m, CancellationToken ct) => m.GetVersionAsync(r, name, version, ct))
            .WithName("GetModelVersion").WithSummary("Get one version by number, 'latest' or alias");
        models.MapPatch(Routes.ModelVersion, (HttpRequest r, string name, string version, ModelHandlers m, CancellationToken ct) => m.PatchVersionAsync(r, name, version, ct))
            .WithName("PatchModelVersion").WithSummary("Change a version's description and tags");
        models.MapDelete(Routes.ModelVersion, (HttpRequest r, string name, string version, ModelHandlers m, CancellationToken ct) => m.ArchiveVersionAsync(r, name, version, ct))
            .WithName("ArchiveModelVersion").WithSummary("Archive a version (409 while an alias points at it)");
        models.MapGet(Routes.ModelContent, (HttpRequest r, string name, string version, ModelHandlers m, CancellationToken ct) => m.GetContentAsync(r, name, version, ct))
            .WithName("GetModelContent").WithSummary("Download a version's ONNX file")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream");
        models.MapGet(Routes.ModelCard, (HttpRequest r, [AsParameters] FormatQuery f, string name, string version, ModelHandlers m, CancellationToken ct) => m.GetCardAsync(r, f, name, version, ct))
            .WithName("GetModelCard").WithSummary("Get a version's model card as Markdown or HTML")
            .Produces<string>(StatusCodes.Status200OK, "text/markdown", "text/html");
        models.MapPut(Routes.ModelAlias, (HttpRequest r, string name, string alias, ModelHandlers m, CancellationToken ct) => m.SetAliasAsync(r, name, alias, ct))
            .WithName("SetModelAlias").WithSummary("Point an alias (such as champion) at a version");
        models.MapDelete(Routes.ModelAlias, (HttpRequest r, string name, string alias, ModelHandlers m, CancellationToken ct) => m.DeleteAliasAsync(r, name, alias, ct))
            .WithName("DeleteModelAlias").WithSummary("Remove an alias");
        models.MapGet(Routes.ModelHistory, (HttpRequest r, [AsParameters] PageQuery p, string name, ModelHandlers m, CancellationToken ct) => m.HistoryAsync(r, p, name, ct))
            .WithName("GetModelHistory").WithSummary("The model's audit history: registrations, alias moves, archives");
        return endpoints;
    }
}
