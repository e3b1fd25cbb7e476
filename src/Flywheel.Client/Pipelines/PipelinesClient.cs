using System.Globalization;
using System.Runtime.CompilerServices;
using Flywheel.Client.Http;
using Flywheel.Contracts;
using Flywheel.Contracts.Pipelines;

namespace Flywheel.Client.Pipelines;

/// <summary>Pipeline runs of every kind: list, read, wait for, send events to, terminate, and download a batch's output.</summary>
public sealed class PipelinesClient
{
    private readonly FlywheelHttp _http;
    private readonly TimeProvider _time;

    internal PipelinesClient(FlywheelHttp http, TimeProvider time)
    {
        _http = http;
        _time = time;
    }

    /// <summary>An operation for a pipeline known by its id, to read, wait for or steer.</summary>
    public PipelineOperation Get(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return new PipelineOperation(this, id);
    }

    internal PipelineOperation Started(PipelineStarted started) => new(this, started.Id, started);

    public Task<PipelineStatus> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _http.GetAsync<PipelineStatus>(ApiPath.Of(Routes.Pipeline, ("id", id)), cancellationToken);

    public IAsyncEnumerable<PipelineStatus> ListAsync(PipelineListQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new PipelineListQuery();
        var path = ApiPath.Of(Routes.Pipelines).With(
            ("name", query.Name),
            ("status", query.Statuses.Count == 0 ? null : string.Join(',', query.Statuses.Select(WireNames.Of))),
            ("createdFrom", query.CreatedFrom?.ToString("O", CultureInfo.InvariantCulture)),
            ("createdTo", query.CreatedTo?.ToString("O", CultureInfo.InvariantCulture)));
        return _http.PagesAsync<PipelineStatus>(path, query.PageSize, cancellationToken);
    }

    /// <summary>Sends a running pipeline a named event with an optional JSON payload (a retraining reads <c>promote</c>, <c>rollback</c>, <c>pause</c>, <c>resume</c>).</summary>
    public Task RaiseEventAsync(string id, string eventName, object? payload = null, CancellationToken cancellationToken = default) =>
        _http.SendAsync(HttpMethod.Post, ApiPath.Of(Routes.PipelineEvent, ("id", id), ("event", eventName)), payload, cancellationToken);

    internal Task SendApprovalAsync(string id, ApprovalEvent approval, CancellationToken cancellationToken) =>
        RaiseEventAsync(id, ApprovalEvent.Name, approval, cancellationToken);

    public Task TerminateAsync(string id, string? reason = null, CancellationToken cancellationToken = default) =>
        _http.SendAsync(HttpMethod.Post, ApiPath.Of(Routes.PipelineTerminate, ("id", id)).With(("reason", reason)), null, cancellationToken);

    /// <summary>Streams a finished batch scoring run's predictions into <paramref name="destination"/>, reporting the bytes read.</summary>
    public async Task DownloadOutputAsync(string id, Stream destination, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var response = await _http.SendRawAsync(HttpMethod.Get, ApiPath.Of(Routes.PipelineOutput, ("id", id)), null, cancellationToken, "*/*", HttpCompletionOption.ResponseHeadersRead)
            .ConfigureAwait(false);
        await Transfers.CopyAsync(response, destination, progress, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<PipelineStatus> WaitAsync(string id, IProgress<PipelineStatus>? progress, CancellationToken cancellationToken)
    {
        PipelineStatus? last = null;
        await foreach (var status in WatchAsync(id, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(status);
            last = status;
        }

        return last!;
    }

    /// <summary>Every status until the pipeline ends, for a caller that draws them as they come.</summary>
    public async IAsyncEnumerable<PipelineStatus> WatchAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        PipelineStatus? last = null;
        while (true)
        {
            var status = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (last is null || status.LastUpdatedTime != last.LastUpdatedTime || status.RuntimeStatus != last.RuntimeStatus)
            {
                yield return status;
            }

            if (status.IsFinished)
            {
                yield break;
            }

            last = status;
            await Task.Delay(_http.Options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
