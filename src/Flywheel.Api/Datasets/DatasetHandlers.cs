using System.Text.Json;
using Flywheel.Api.Problems;
using Flywheel.Api.Requests;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Datasets;
using Flywheel.Datasets.Ingest;
using Flywheel.Datasets.Quarantine;
using Flywheel.Datasets.Versions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Flywheel.Api.Datasets;

/// <summary>The dataset routes, shared by both hosts. Each method validates, calls the domain once and maps the outcome.</summary>
public sealed class DatasetHandlers(
    DatasetIngestor ingestor,
    DatasetCatalog catalog,
    DatasetQueries queries,
    DatasetBlobs blobs,
    QuarantineStore quarantine,
    IOptions<DatasetOptions> options)
{
    /// <summary>Header naming the uploaded file, recorded as the version's source.</summary>
    public const string FileNameHeader = WireHeaders.FileName;

    /// <summary>Longest file name recorded (it names the quarantined copy, and blob names stop at 1,024 characters).</summary>
    public const int MaxFileNameChars = 255;

    public async Task<Results<Created<DatasetVersion>, Ok<DatasetVersion>, ProblemHttpResult>> PutAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var max = options.Value.MaxUploadBytes;
        if (request.ContentLength > max)
        {
            return Problem.TooLarge(max);
        }

        var source = request.Headers[FileNameHeader].ToString() is { Length: > 0 } file ? file : "http-upload";
        if (source.Length > MaxFileNameChars || source.Any(char.IsControl))
        {
            return Problem.BadRequest(ProblemTypes.InvalidFileName, $"{FileNameHeader} must be a file name of at most {MaxFileNameChars} characters without control characters.");
        }

        var outcome = await ingestor.IngestAsync(name, request.Body, source, cancellationToken, contentLength: request.ContentLength).ConfigureAwait(false);

        return outcome.Status switch
        {
            IngestStatus.Created => TypedResults.Created((string?)null, outcome.Version),
            IngestStatus.Existing => TypedResults.Ok(outcome.Version),
            _ => Rejected(outcome.Report!),
        };
    }

    public async Task<Ok<Page<DatasetSummary>>> ListAsync(HttpRequest request, PageQuery paging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paging);
        var (token, size) = paging.Read(request);
        return Paging.Ok(request, await catalog.ListDatasetsAsync(token, size, cancellationToken).ConfigureAwait(false));
    }

    public async Task<Results<Ok<Page<DatasetVersion>>, ProblemHttpResult>> ListVersionsAsync(HttpRequest request, PageQuery paging, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paging);
        var (token, size) = paging.Read(request);
        var page = await queries.ListVersionsAsync(name, token, size, cancellationToken).ConfigureAwait(false);
        return await IsEmptyFirstPageOfNoDatasetAsync(name, token, page.Items.Count, cancellationToken).ConfigureAwait(false) ? DatasetNotFound(name) : Paging.Ok(request, page);
    }

    /// <summary>The dataset at a glance: its newest version (as lists show it), how many it has, whether a contract guards it, and where to go next.</summary>
    public async Task<Results<Ok<DatasetDetails>, ProblemHttpResult>> GetAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        if (await catalog.GetSummaryAsync(name, cancellationToken).ConfigureAwait(false) is not { } summary
            || await catalog.GetAsync(name, summary.LatestVersion, cancellationToken).ConfigureAwait(false) is not { } latest)
        {
            return DatasetNotFound(name);
        }

        var hasContract = await catalog.HasContractAsync(name, cancellationToken).ConfigureAwait(false);
        string Link(string route) => route.Replace("{name}", name, StringComparison.Ordinal);
        return TypedResults.Ok(new DatasetDetails(name, summary.LatestVersion, summary.LatestVersion, summary.Created, summary.Updated, hasContract, DatasetQueries.Summary(latest),
            new Dictionary<string, string>
            {
                ["versions"] = Link(Routes.DatasetVersions),
                ["latest"] = Link(Routes.DatasetVersion).Replace("{version}", VersionReference.LatestText, StringComparison.Ordinal),
                ["content"] = Link(Routes.DatasetContent).Replace("{version}", VersionReference.LatestText, StringComparison.Ordinal),
                ["contract"] = Link(Routes.DatasetContract),
                ["quarantine"] = Link(Routes.DatasetQuarantine),
            }));
    }

    public async Task<Results<Ok<DatasetVersion>, ProblemHttpResult>> GetVersionAsync(HttpRequest request, string name, string version, CancellationToken cancellationToken)
    {
        var found = await queries.GetAsync(name, VersionReference.Parse(version, aliases: false), cancellationToken).ConfigureAwait(false);
        return found is null ? VersionNotFound(name, version) : TypedResults.Ok(found);
    }

    public async Task<IResult> GetContentAsync(HttpRequest request, string name, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await queries.GetAsync(name, VersionReference.Parse(version, aliases: false), cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return VersionNotFound(name, version);
        }

        var blob = await blobs.ContentAsync(name, found.Sha256, cancellationToken).ConfigureAwait(false);
        var parquet = found.Format == "parquet";
        return await ImmutableContent.ResultAsync(request, blob, found.Sha256, parquet ? "application/vnd.apache.parquet" : "text/csv",
            $"{name}-v{found.Version}.{(parquet ? "parquet" : "csv")}", cancellationToken).ConfigureAwait(false);
    }

    public async Task<Results<Ok<DatasetDiff>, ProblemHttpResult>> DiffAsync(DatasetDiffQuery query, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var latest = await catalog.LatestVersionAsync(name, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return Problem.NotFound($"Dataset '{name}' has no versions.");
        }

        var to = query.To is { Length: > 0 } t ? VersionReference.Parse(t, aliases: false) : VersionReference.Latest;
        var from = query.From is { Length: > 0 } f ? VersionReference.Parse(f, aliases: false) : VersionReference.Of(Math.Max(latest.Value - 1, 1));
        var a = await queries.GetAsync(name, from, cancellationToken).ConfigureAwait(false);
        var b = await queries.GetAsync(name, to, cancellationToken).ConfigureAwait(false);
        if (a is null || b is null)
        {
            return VersionNotFound(name, (a is null ? from : to).ToString());
        }

        return TypedResults.Ok(DatasetComparison.Between(a, b));
    }

    public async Task<Results<Ok<DatasetContract>, ProblemHttpResult>> PutContractAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var contract = await RequestJson.ReadAsync<DatasetContract>(request, ProblemTypes.InvalidContract,
            """{"columns": {"age": {"type": "integer", "min": 0}}, "minRows": 100}""", cancellationToken).ConfigureAwait(false);
        if (ContractErrors(contract) is { Length: > 0 } errors)
        {
            return Problem.BadRequest(ProblemTypes.InvalidContract, errors);
        }

        // A contract guards future versions, so it needs a dataset to guard: a typo in the name must not go unnoticed.
        if (await catalog.LatestVersionAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problem.BadRequest(ProblemTypes.InvalidContract, $"Dataset '{name}' does not exist: upload a first version, then set its contract.");
        }

        await catalog.PutContractAsync(name, contract, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(contract);
    }

    public async Task<Results<Ok<DatasetContract>, ProblemHttpResult>> GetContractAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        var contract = await catalog.GetContractAsync(name, cancellationToken).ConfigureAwait(false);
        return contract is null ? Problem.NotFound($"Dataset '{name}' has no contract.") : TypedResults.Ok(contract);
    }

    public async Task<Results<Ok<Page<QuarantineReport>>, ProblemHttpResult>> ListQuarantineAsync(HttpRequest request, PageQuery paging, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paging);
        // A dataset whose only uploads were rejected has no versions but does have a quarantine.
        var (token, size) = paging.Read(request);
        var page = await quarantine.ListAsync(name, token, size, cancellationToken).ConfigureAwait(false);
        return await IsEmptyFirstPageOfNoDatasetAsync(name, token, page.Items.Count, cancellationToken).ConfigureAwait(false) ? DatasetNotFound(name) : Paging.Ok(request, page);
    }

    /// <summary>
    /// An empty first page of a dataset's list is a 404 when the dataset has no versions: a typo in
    /// the name must not look like a dataset with nothing in it. Only an empty first page costs the extra read.
    /// </summary>
    private async Task<bool> IsEmptyFirstPageOfNoDatasetAsync(string name, string? token, int items, CancellationToken cancellationToken) =>
        token is null && items == 0 && await catalog.LatestVersionAsync(name, cancellationToken).ConfigureAwait(false) is null;

    private static ProblemHttpResult Rejected(QuarantineReport report)
    {
        var first = report.Problems[0];
        var where = first.Examples.FirstOrDefault() is { Line: { } line } ? $" (line {line})" : string.Empty;
        return Problem.Of(StatusCodes.Status422UnprocessableEntity, ProblemTypes.DatasetRejected, "The file was not versioned",
            $"{report.Problems.Count} problem(s); first: {first.Message}{where}. The original is kept at {report.OriginalPath}.",
            new Dictionary<string, object?> { ["report"] = JsonSerializer.SerializeToElement(report, Json.Options) });
    }

    private static ProblemHttpResult DatasetNotFound(string name) =>
        Problem.NotFound($"There is no dataset '{name}': it has no versions (PUT api/datasets/{name} uploads the first).");

    private static ProblemHttpResult VersionNotFound(string name, string version) =>
        Problem.NotFound($"Dataset '{name}' has no version '{version}'.");

    private static string ContractErrors(DatasetContract contract)
    {
        var errors = new List<string>();
        foreach (var (column, rule) in contract.Columns)
        {
            if (rule.Min > rule.Max)
            {
                errors.Add($"columns.{column}: min is greater than max");
            }

            if ((rule.Min is not null || rule.Max is not null) && rule.Type is not (null or ColumnType.Integer or ColumnType.Float))
            {
                errors.Add($"columns.{column}: min and max apply to integer and float columns, not to {rule.Type.Value.ToString().ToLowerInvariant()}");
            }

            if (rule.Allowed is { Count: 0 })
            {
                errors.Add($"columns.{column}: allowed is empty, so no value could pass; leave it out to allow any value");
            }

            if (rule.MaxMissingRate is < 0 or > 1)
            {
                errors.Add($"columns.{column}: maxMissingRate must be within [0, 1]");
            }
        }

        if (contract.MaxMissingRate is < 0 or > 1)
        {
            errors.Add("maxMissingRate must be within [0, 1]");
        }

        if (contract.MinRows < 0)
        {
            errors.Add("minRows must not be negative");
        }

        return string.Join("; ", errors);
    }
}
