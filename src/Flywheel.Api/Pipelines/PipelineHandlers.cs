using System.Text.Json;
using Flywheel.Api.Problems;
using Flywheel.Api.Requests;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Flywheel.Contracts.Pipelines;
using Flywheel.Contracts.Training;
using Flywheel.Pipelines;
using Flywheel.Pipelines.BatchScoring;
using Flywheel.Retraining;
using Flywheel.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Flywheel.Api.Pipelines;

/// <summary>
/// The pipeline routes: start a batch scoring run (checked before it starts, so bad input is a 4xx
/// here rather than a failed run later), list and read runs, raise events, terminate, and download
/// a run's output. Each host passes the <see cref="IPipelineClient"/> of its engine.
/// </summary>
public sealed class PipelineHandlers(BatchScoringPlanner planner, StorageClients storage, RetrainingStarter retrainings, IOptions<PipelineOptions> options)
{
    /// <summary>The most engine pages one name-filtered page reads, so a rare name costs bounded work per request (the token goes on from there).</summary>
    public const int MaxEngineReadsPerPage = 20;

    private const long MaxStartBytes = 64 << 10;

    public async Task<Accepted<PipelineStarted>> StartBatchScoringAsync(HttpRequest request, string name, IPipelineClient pipelines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(pipelines);
        var batch = await RequestJson.ReadAsync<BatchScoringRequest>(request, ProblemTypes.InvalidBatch,
            """{"dataset": "flowers", "datasetVersion": "latest", "modelVersion": "champion", "chunkRows": 50000, "output": "csv"}""",
            cancellationToken, MaxStartBytes).ConfigureAwait(false);
        batch = batch with { Model = name };
        await planner.CheckAsync(batch, cancellationToken).ConfigureAwait(false);
        var id = Guid.NewGuid().ToString("N");
        var settings = options.Value;
        await pipelines.StartAsync(PipelineTasks.BatchScoring, id, new BatchScoringStart(batch, settings.BatchParallelism, settings.ActivityAttempts), cancellationToken).ConfigureAwait(false);
        return Accepted(request, id);
    }

    /// <summary>The 202 for a pipeline just started: its management URIs in the body, the status URI in <c>Location</c> (as Durable's own starters answer).</summary>
    internal static Accepted<PipelineStarted> Accepted(HttpRequest request, string id, TrainingPlanSummary? plan = null)
    {
        var started = Started(request, id) with { Plan = plan };
        return TypedResults.Accepted(started.StatusQueryGetUri.ToString(), started);
    }

    public async Task<Ok<Page<PipelineStatus>>> ListAsync(
        HttpRequest request, PipelineListQuery query, PageQuery paging, IPipelineClient pipelines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(paging);
        ArgumentNullException.ThrowIfNull(pipelines);
        var (token, size) = paging.Read(request);
        var engineQuery = query.ToQuery(size, token);
        var page = await pipelines.ListAsync(engineQuery, cancellationToken).ConfigureAwait(false);
        if (engineQuery.Name is null)
        {
            return Paging.Ok(request, page);
        }

        // Neither engine filters by name, so a page of instances can hold few or none of the asked name while later ones
        // do: read on at engine-page boundaries (the token stays valid) until the page is full, asking only for what is missing.
        var items = new List<PipelineStatus>(page.Items);
        for (var reads = 1; items.Count < size && page.ContinuationToken is { } next && reads < MaxEngineReadsPerPage; reads++)
        {
            page = await pipelines.ListAsync(engineQuery with { PageSize = size - items.Count, ContinuationToken = next }, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
        }

        return Paging.Ok(request, new ListPage<PipelineStatus>(items, page.ContinuationToken));
    }

    public async Task<Ok<PipelineStatus>> GetAsync(string id, IPipelineClient pipelines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipelines);
        var status = await pipelines.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        return TypedResults.Ok(status);
    }

    public async Task<Accepted> RaiseEventAsync(HttpRequest request, string id, string eventName, IPipelineClient pipelines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(pipelines);
        if (ApprovalEvent.Reaches(eventName) && eventName != ApprovalEvent.Name)
        {
            // The engine would deliver it to the approval wait all the same; one spelling keeps the payload check below the only way in.
            throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidEvent, $"Event '{eventName}' differs from '{ApprovalEvent.Name}' only in case: send it as '{ApprovalEvent.Name}'.");
        }

        var status = await pipelines.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        if (status.IsFinished)
        {
            // The engine would take the event and drop it: a 202 would say it was delivered when nothing will read it.
            throw new FlywheelException(ErrorKind.Conflict, ProblemTypes.NotRunning, $"Pipeline '{id}' is {status.RuntimeStatus}: events reach only a pipeline that has not finished.");
        }

        var body = await RequestBody.ReadAsync(request, MaxStartBytes, cancellationToken).ConfigureAwait(false);
        object? payload = null;
        if (eventName == ApprovalEvent.Name)
        {
            // The training orchestration reads this one: check its shape here, where a mistake can still be answered.
            payload = RequestJson.Bind<ApprovalEvent>(body, ProblemTypes.InvalidEvent, """{"approved": true, "by": "ana", "comment": "looks good"}""", "The approval");
        }
        else if (body.Length > 0)
        {
            using var document = RequestJson.Parse(body, ProblemTypes.InvalidEvent);
            payload = document.RootElement.Clone();
        }

        await pipelines.RaiseEventAsync(id, eventName, payload, cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null);
    }

    public async Task<Accepted> TerminateAsync(TerminateQuery query, string id, IPipelineClient pipelines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(pipelines);
        var status = await pipelines.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        if (status.RuntimeStatus is not (PipelineRuntimeStatus.Running or PipelineRuntimeStatus.Pending or PipelineRuntimeStatus.Suspended))
        {
            throw new FlywheelException(ErrorKind.Conflict, ProblemTypes.NotRunning, $"Pipeline '{id}' is {status.RuntimeStatus}: only a running pipeline can be terminated.");
        }

        var reason = QueryValue.Text(query.Reason);
        await pipelines.TerminateAsync(id, reason, cancellationToken).ConfigureAwait(false);

        // A retraining cannot clean up after itself when terminated: the routes its canary changed are restored here.
        await retrainings.TerminatedAsync(pipelines, status, reason, cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Streams the file a completed run wrote (its output's <c>blob</c>).</summary>
    public async Task<IResult> OutputAsync(HttpRequest request, string id, IPipelineClient pipelines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(pipelines);
        var status = await pipelines.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        if (status.RuntimeStatus != PipelineRuntimeStatus.Completed)
        {
            throw new FlywheelException(ErrorKind.Conflict, ProblemTypes.NotCompleted, $"Pipeline '{id}' is {status.RuntimeStatus}: its output exists once it has completed.");
        }

        if (status.Output is not { ValueKind: JsonValueKind.Object } output || !output.TryGetProperty("blob", out var blobPath)
            || blobPath.GetString()?.Split('/', 2) is not [var container, var path] || !StorageNames.Containers.Contains(container))
        {
            throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NoOutput, $"Pipeline '{id}' ({status.Name}) wrote no file.");
        }

        var blob = storage.Container(container).GetBlobClient(path);
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var stream = await blob.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return Results.Stream(stream, properties.Value.ContentType, Path.GetFileName(path), enableRangeProcessing: true);
    }

    private static PipelineStarted Started(HttpRequest request, string id)
    {
        var root = $"{request.Scheme}://{request.Host}{request.PathBase}/";
        var status = Routes.Pipeline.Replace("{id}", id, StringComparison.Ordinal);
        return new PipelineStarted(
            id,
            new Uri(root + status),
            root + Routes.PipelineEvent.Replace("{id}", id, StringComparison.Ordinal).Replace("{event}", "{eventName}", StringComparison.Ordinal),
            new Uri(root + Routes.PipelineTerminate.Replace("{id}", id, StringComparison.Ordinal)));
    }

    private static FlywheelException NotFound(string id) => new(ErrorKind.NotFound, ProblemTypes.NotFound, $"There is no pipeline '{id}'.");
}
