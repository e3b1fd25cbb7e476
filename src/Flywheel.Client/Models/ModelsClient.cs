using Flywheel.Client.Http;
using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Flywheel.Contracts.Training;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Flywheel.Client.Models;

/// <summary>The model registry: versions, aliases, cards, downloads, history and a metric across versions.</summary>
public sealed class ModelsClient
{
    private readonly FlywheelHttp _http;

    internal ModelsClient(FlywheelHttp http) => _http = http;

    public IAsyncEnumerable<ModelSummary> ListAsync(int? pageSize = null, CancellationToken cancellationToken = default) =>
        _http.PagesAsync<ModelSummary>(ApiPath.Of(Routes.Models), pageSize, cancellationToken);

    /// <summary>The model with its aliases and its first page of versions.</summary>
    public Task<ModelDetails> GetAsync(string name, CancellationToken cancellationToken = default) =>
        _http.GetAsync<ModelDetails>(ApiPath.Of(Routes.Model, ("name", name)), cancellationToken);

    /// <summary>Every version of the model, newest first, reading further pages as they are reached.</summary>
    public IAsyncEnumerable<ModelVersion> ListVersionsAsync(string name, int? pageSize = null, CancellationToken cancellationToken = default) =>
        _http.PagesAsync<ModelDetails, ModelVersion>(ApiPath.Of(Routes.Model, ("name", name)), pageSize, model => (model.Versions, model.ContinuationToken), cancellationToken);

    /// <summary>One version: a number, <c>latest</c> or an alias.</summary>
    public Task<ModelVersion> GetVersionAsync(string name, string version, CancellationToken cancellationToken = default) =>
        _http.GetAsync<ModelVersion>(ApiPath.Of(Routes.ModelVersion, ("name", name), ("version", version)), cancellationToken);

    /// <summary>Registers an ONNX model as the model's next version, streamed, with its description, tags, metrics and lineage.</summary>
    public async Task<ModelVersion> RegisterAsync(string name, Stream onnx, ModelRegistration? registration = null, IProgress<TransferProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        using var body = new MultipartFormDataContent();
        if (registration is not null)
        {
            body.Add(JsonContent.Create(registration, options: FlywheelHttp.Json), "metadata");
        }

        var model = new ProgressContent(onnx, "application/octet-stream", progress);
        body.Add(model, "model", "model.onnx");
        using var response = await _http.SendRawAsync(HttpMethod.Post, ApiPath.Of(Routes.ModelVersions, ("name", name)), body, cancellationToken).ConfigureAwait(false);
        return await FlywheelHttp.ReadAsync<ModelVersion>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes a version's description and tags (a tag set to null is removed).</summary>
    public Task<ModelVersion> UpdateVersionAsync(string name, string version, VersionPatch patch, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<ModelVersion>(HttpMethod.Patch, ApiPath.Of(Routes.ModelVersion, ("name", name), ("version", version)), patch, cancellationToken);

    /// <summary>Archives a version: it stops serving by <c>latest</c>; a 409 while an alias or a deployment still points at it.</summary>
    public Task<ModelVersion> ArchiveVersionAsync(string name, string version, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<ModelVersion>(HttpMethod.Delete, ApiPath.Of(Routes.ModelVersion, ("name", name), ("version", version)), null, cancellationToken);

    /// <summary>Points an alias (such as <c>champion</c>) at a version; the history entry it wrote comes back.</summary>
    public Task<HistoryEntry> SetAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<HistoryEntry>(HttpMethod.Put, ApiPath.Of(Routes.ModelAlias, ("name", name), ("alias", alias)), new AliasTarget(version), cancellationToken);

    public Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        _http.SendAsync(HttpMethod.Delete, ApiPath.Of(Routes.ModelAlias, ("name", name), ("alias", alias)), null, cancellationToken);

    /// <summary>The model's audit history, newest first: registrations, alias moves (which version was champion when), archives, policy changes.</summary>
    public IAsyncEnumerable<HistoryEntry> HistoryAsync(string name, int? pageSize = null, CancellationToken cancellationToken = default) =>
        _http.PagesAsync<HistoryEntry>(ApiPath.Of(Routes.ModelHistory, ("name", name)), pageSize, cancellationToken);

    /// <summary>A version's model card, as Markdown (<paramref name="html"/> false) or a standalone HTML page.</summary>
    public Task<string> GetCardAsync(string name, string version, bool html = false, CancellationToken cancellationToken = default) =>
        _http.GetTextAsync(ApiPath.Of(Routes.ModelCard, ("name", name), ("version", version)).With(("format", html ? "html" : "markdown")),
            html ? "text/html" : "text/markdown", cancellationToken);

    /// <summary>Streams a version's ONNX file into <paramref name="destination"/>.</summary>
    public async Task DownloadAsync(string name, string version, Stream destination, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var response = await _http.SendRawAsync(HttpMethod.Get, ApiPath.Of(Routes.ModelContent, ("name", name), ("version", version)), null, cancellationToken, "*/*",
            HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        await Transfers.CopyAsync(response, destination, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each registered metric across the model's versions, for a chart of how the model moved.</summary>
    public Task<ModelMetrics> GetMetricsAsync(string name, CancellationToken cancellationToken = default) =>
        _http.GetAsync<ModelMetrics>(ApiPath.Of(Routes.ModelMetrics, ("name", name)), cancellationToken);
}
