using Flywheel.Api.Access;
using Flywheel.Api.Problems;
using Flywheel.Api.Routing;
using Flywheel.Api.Requests;
using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Flywheel.Datasets.Versions;
using Flywheel.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Flywheel.Api.Registry;

/// <summary>The model registry routes, shared by both hosts.</summary>
public sealed class ModelHandlers(Caller caller, ModelRegistry registry, ModelBlobs blobs, DatasetQueries datasets, IOptions<RegistryOptions> options)
{
    public async Task<Results<Created<ModelVersion>, Ok<ModelVersion>, ProblemHttpResult>> RegisterAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var max = options.Value.MaxModelBytes;
        if (request.ContentLength > max)
        {
            return Problem.TooLarge(max);
        }

        byte[] model;
        ModelRegistration registration;
        try
        {
            (model, registration) = await ModelUpload.ReadAsync(request, max, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ModelUpload.InvalidUploadException or IOException or InvalidDataException)
        {
            return Problem.BadRequest(ProblemTypes.InvalidUpload, ex.Message);
        }

        if (model.Length == 0)
        {
            return Problem.BadRequest(ProblemTypes.InvalidUpload, "The body is empty: send the ONNX file (curl --data-binary @model.onnx).");
        }

        if (registration.Dataset is { } lineage && Problem.InvalidName("dataset", lineage.Name) is { } badName)
        {
            return badName;
        }

        if (registration.Dataset is { Version: < 1 } badVersion)
        {
            return Problem.BadRequest(ProblemTypes.InvalidVersion, $"metadata.dataset.version must be 1 or more, got {badVersion.Version}.");
        }

        if (registration.Dataset is { } dataset && await datasets.GetAsync(dataset.Name, VersionReference.Of(dataset.Version), cancellationToken).ConfigureAwait(false) is null)
        {
            return Problem.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.UnknownDataset, "The training dataset is not registered",
                $"Dataset '{dataset.Name}' has no version {dataset.Version}: register the data first so the model's lineage is real.");
        }

        var (version, created) = await registry.RegisterAsync(name, model, registration, caller.Name(request), cancellationToken).ConfigureAwait(false);
        // The same bytes again are the version already registered: 200, not a second 201.
        return created ? TypedResults.Created((string?)null, version) : TypedResults.Ok(version);
    }

    public async Task<Ok<Page<ModelSummary>>> ListAsync(HttpRequest request, PageQuery paging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paging);
        var (token, size) = paging.Read(request);
        return Paging.Ok(request, await registry.ListAsync(token, size, cancellationToken).ConfigureAwait(false));
    }

    public async Task<Results<Ok<ModelDetails>, ProblemHttpResult>> GetModelAsync(HttpRequest request, PageQuery paging, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paging);
        var (token, size) = paging.Read(request);
        var model = await registry.GetModelAsync(name, token, size, cancellationToken).ConfigureAwait(false);
        return model is null
            ? Problem.NotFound($"Model '{name}' is not registered.")
            : TypedResults.Ok(model with { ContinuationToken = Paging.Encode(request, model.ContinuationToken) });
    }

    public async Task<Results<Ok<ModelVersion>, ProblemHttpResult>> GetVersionAsync(HttpRequest request, string name, string version, CancellationToken cancellationToken)
    {
        var found = await registry.GetAsync(name, VersionReference.Parse(version), cancellationToken).ConfigureAwait(false);
        return found is null ? VersionNotFound(name, version) : TypedResults.Ok(found);
    }

    public async Task<Results<Ok<ModelVersion>, ProblemHttpResult>> PatchVersionAsync(HttpRequest request, string name, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Problem.InvalidVersion(version, out var number) is { } badVersion)
        {
            return badVersion;
        }

        var patch = await RequestJson.ReadAsync<VersionPatch>(request, ProblemTypes.InvalidPatch,
            """{"description": "RF on iris", "tags": {"stage": "prod"}}""", cancellationToken).ConfigureAwait(false);

        var updated = await registry.UpdateAsync(name, number, patch.Description, patch.Tags, cancellationToken).ConfigureAwait(false);
        return updated is null ? VersionNotFound(name, version) : TypedResults.Ok(updated);
    }

    public async Task<Results<Ok<ModelVersion>, ProblemHttpResult>> ArchiveVersionAsync(HttpRequest request, string name, string version, CancellationToken cancellationToken)
    {
        if (Problem.InvalidVersion(version, out var number) is { } badVersion)
        {
            return badVersion;
        }

        return TypedResults.Ok(await registry.ArchiveAsync(name, number, caller.Name(request), cancellationToken).ConfigureAwait(false));
    }

    public async Task<IResult> GetContentAsync(HttpRequest request, string name, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await registry.GetAsync(name, VersionReference.Parse(version), cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return VersionNotFound(name, version);
        }

        var blob = await blobs.ContentAsync(name, found.Sha256, cancellationToken).ConfigureAwait(false);
        return await ImmutableContent.ResultAsync(request, blob, found.Sha256, "application/octet-stream", $"{name}-v{found.Version}.onnx", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The model card: Markdown by default; HTML for <c>?format=html</c> or an Accept header that rates <c>text/html</c> above <c>text/markdown</c> (a browser).</summary>
    public async Task<IResult> GetCardAsync(HttpRequest request, FormatQuery query, string name, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(query);
        var format = query.Format ?? string.Empty;
        if (format is not ("" or "markdown" or "html"))
        {
            return Problem.BadRequest(ProblemTypes.InvalidQuery, $"format must be markdown or html; it is '{format}'.");
        }

        var found = await registry.GetAsync(name, VersionReference.Parse(version), cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return VersionNotFound(name, version);
        }

        var dataset = found.Dataset is { } d
            ? await datasets.GetAsync(d.Name, VersionReference.Of(d.Version), cancellationToken).ConfigureAwait(false)
            : null;
        // The answer depends on Accept when no format is given: caches must key on it.
        request.HttpContext.Response.Headers.Vary = "Accept";
        var root = SiteRoot(request);
        return format == "html" || (format.Length == 0 && PrefersHtml(request))
            ? Results.Text(ModelCard.RenderHtml(found, dataset, root), "text/html; charset=utf-8")
            : Results.Text(ModelCard.Render(found, dataset, root), "text/markdown; charset=utf-8");
    }

    /// <summary>HTML when the Accept header rates <c>text/html</c> above <c>text/markdown</c>: browsers ask for HTML, curl and HTTP clients for anything.</summary>
    private static bool PrefersHtml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        double Quality(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        return Quality("text/html") > Math.Max(0, Quality("text/markdown"));
    }

    /// <summary>
    /// The relative path from the request's URL to the site root (<c>../../../../../</c> from
    /// <c>api/models/{name}/versions/{version}/card</c>): links the card makes to other routes then
    /// resolve on either host and behind any path prefix, where a bare <c>api/...</c> would resolve
    /// under the card's own path and 404.
    /// </summary>
    private static string SiteRoot(HttpRequest request) =>
        string.Concat(Enumerable.Repeat("../", Math.Max(0, (request.Path.Value ?? "/").Count(c => c == '/') - 1)));

    public async Task<Results<Ok<HistoryEntry>, ProblemHttpResult>> SetAliasAsync(HttpRequest request, string name, string alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!AliasName.IsValid(alias))
        {
            return Problem.BadRequest(ProblemTypes.InvalidAlias, $"'{alias}' is not a valid alias: use {AliasName.Rule}.");
        }

        var target = await RequestJson.ReadAsync<AliasTarget>(request, ProblemTypes.InvalidAlias, """{"version": 3}""", cancellationToken).ConfigureAwait(false);
        if (target.Version is not > 0)
        {
            return Problem.BadRequest(ProblemTypes.InvalidAlias, "The body must be {\"version\": 3} with a positive version.");
        }

        return TypedResults.Ok(await registry.SetAliasAsync(name, alias, target.Version.Value, caller.Name(request), cancellationToken).ConfigureAwait(false));
    }

    public async Task<Results<NoContent, ProblemHttpResult>> DeleteAliasAsync(HttpRequest request, string name, string alias, CancellationToken cancellationToken)
    {
        var entry = await registry.DeleteAliasAsync(name, alias, caller.Name(request), cancellationToken).ConfigureAwait(false);
        return entry is null ? Problem.NotFound($"Model '{name}' has no alias '{alias}'.") : TypedResults.NoContent();
    }

    public async Task<Ok<Page<HistoryEntry>>> HistoryAsync(HttpRequest request, PageQuery paging, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paging);
        var (token, size) = paging.Read(request);
        return Paging.Ok(request, await registry.HistoryAsync(name, token, size, cancellationToken).ConfigureAwait(false));
    }

    private static ProblemHttpResult VersionNotFound(string name, string version) =>
        Problem.NotFound($"Model '{name}' has no version or alias '{version}'.");
}
