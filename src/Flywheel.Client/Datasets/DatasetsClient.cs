using Flywheel.Client.Http;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Monitoring;

namespace Flywheel.Client.Datasets;

/// <summary>Datasets: push a file as the next version, read versions, profiles and contracts, compare versions.</summary>
public sealed class DatasetsClient
{
    private readonly FlywheelHttp _http;

    internal DatasetsClient(FlywheelHttp http) => _http = http;

    /// <summary>
    /// Uploads <paramref name="content"/> (CSV, or Parquet with its media type) as the dataset's next version, streamed,
    /// reporting the bytes sent. An upload identical to the latest version answers that version rather than a new one.
    /// A contract violation raises <see cref="FlywheelRequestException"/> (422, code <c>contract-violation</c>) with the
    /// quarantine report in its extensions.
    /// </summary>
    public async Task<DatasetVersion> PushAsync(string name, Stream content, string? fileName = null, string mediaType = "text/csv",
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var body = new ProgressContent(content, mediaType, progress);
        var headers = fileName is null ? null : new Dictionary<string, string> { [WireHeaders.FileName] = fileName };
        using var response = await _http.SendRawAsync(HttpMethod.Put, ApiPath.Of(Routes.Dataset, ("name", name)), body, cancellationToken, headers: headers).ConfigureAwait(false);
        return await FlywheelHttp.ReadAsync<DatasetVersion>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pushes a file from disk; a <c>.parquet</c> file goes as Parquet, anything else as CSV.</summary>
    public async Task<DatasetVersion> PushFileAsync(string name, string path, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            var mediaType = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? "application/vnd.apache.parquet" : "text/csv";
            return await PushAsync(name, file, Path.GetFileName(path), mediaType, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    public IAsyncEnumerable<DatasetSummary> ListAsync(int? pageSize = null, CancellationToken cancellationToken = default) =>
        _http.PagesAsync<DatasetSummary>(ApiPath.Of(Routes.Datasets), pageSize, cancellationToken);

    /// <summary>The dataset with its latest version.</summary>
    public Task<DatasetDetails> GetAsync(string name, CancellationToken cancellationToken = default) =>
        _http.GetAsync<DatasetDetails>(ApiPath.Of(Routes.Dataset, ("name", name)), cancellationToken);

    /// <summary>The dataset's versions, oldest first.</summary>
    public IAsyncEnumerable<DatasetVersion> ListVersionsAsync(string name, int? pageSize = null, CancellationToken cancellationToken = default) =>
        _http.PagesAsync<DatasetVersion>(ApiPath.Of(Routes.DatasetVersions, ("name", name)), pageSize, cancellationToken);

    /// <summary>One version (a number or <c>latest</c>): schema, profile and content hash.</summary>
    public Task<DatasetVersion> GetVersionAsync(string name, string version = "latest", CancellationToken cancellationToken = default) =>
        _http.GetAsync<DatasetVersion>(ApiPath.Of(Routes.DatasetVersion, ("name", name), ("version", version)), cancellationToken);

    /// <summary>Streams a version's content, byte for byte as uploaded, into <paramref name="destination"/>.</summary>
    public async Task DownloadAsync(string name, string version, Stream destination, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var response = await _http.SendRawAsync(HttpMethod.Get, ApiPath.Of(Routes.DatasetContent, ("name", name), ("version", version)), null, cancellationToken, "*/*",
            HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        await Transfers.CopyAsync(response, destination, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How two versions' schemas and profiles differ (defaults: the latest against the one before).</summary>
    public Task<DatasetDiff> DiffAsync(string name, string? from = null, string? to = null, CancellationToken cancellationToken = default) =>
        _http.GetAsync<DatasetDiff>(ApiPath.Of(Routes.DatasetDiff, ("name", name)).With(("from", from), ("to", to)), cancellationToken);

    /// <summary>Drift per column between two versions (defaults: the first against the latest).</summary>
    public Task<DriftReport> DriftAsync(string name, string? reference = null, string? current = null, CancellationToken cancellationToken = default) =>
        _http.GetAsync<DriftReport>(ApiPath.Of(Routes.DatasetDrift, ("name", name)).With(("reference", reference), ("current", current)), cancellationToken);

    public Task<DatasetContract> GetContractAsync(string name, CancellationToken cancellationToken = default) =>
        _http.GetAsync<DatasetContract>(ApiPath.Of(Routes.DatasetContract, ("name", name)), cancellationToken);

    /// <summary>Sets the contract every new version must meet; the versions already stored are not checked again.</summary>
    public Task<DatasetContract> SetContractAsync(string name, DatasetContract contract, CancellationToken cancellationToken = default) =>
        _http.SendJsonAsync<DatasetContract>(HttpMethod.Put, ApiPath.Of(Routes.DatasetContract, ("name", name)), contract, cancellationToken);

    /// <summary>The uploads the contract turned away, with the reasons, newest first.</summary>
    public IAsyncEnumerable<QuarantineReport> ListQuarantineAsync(string name, int? pageSize = null, CancellationToken cancellationToken = default) =>
        _http.PagesAsync<QuarantineReport>(ApiPath.Of(Routes.DatasetQuarantine, ("name", name)), pageSize, cancellationToken);
}
