using Flywheel.Api.Pipelines;
using Flywheel.Contracts.Pipelines;
using Flywheel.Pipelines;
using Flywheel.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Flywheel.Functions.Pipelines;

/// <summary><see cref="IPipelineClient"/> over Durable Functions' client, the one a <c>[DurableClient]</c> binding hands each starter.</summary>
internal sealed class DurablePipelineClient(DurableTaskClient client) : IPipelineClient
{
    public Task StartAsync(string orchestrator, string instanceId, object input, CancellationToken cancellationToken) =>
        client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId), cancellationToken);

    public async Task<PipelineStatus?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        return metadata is null ? null : Status(metadata);
    }

    public async Task<ListPage<PipelineStatus>> ListAsync(PipelineQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var statuses = query.Statuses.Select(Enum.Parse<OrchestrationRuntimeStatus>).ToList();
        var filter = new OrchestrationQuery
        {
            CreatedFrom = query.CreatedFrom,
            CreatedTo = query.CreatedTo,
            Statuses = statuses,
            PageSize = query.PageSize,
            ContinuationToken = query.ContinuationToken,
            FetchInputsAndOutputs = true,
        };
        await foreach (var page in client.GetAllInstancesAsync(filter).AsPages(query.ContinuationToken, query.PageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var items = page.Values.Where(m => query.Name is null || string.Equals(m.Name, query.Name, StringComparison.Ordinal)).Select(Status).ToList();
            return new ListPage<PipelineStatus>(items, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new ListPage<PipelineStatus>([], null);
    }

    public Task RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken) =>
        client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);

    public Task TerminateAsync(string instanceId, string? reason, CancellationToken cancellationToken) =>
        client.TerminateInstanceAsync(instanceId, reason, cancellationToken);

    private static PipelineStatus Status(OrchestrationMetadata metadata) => PipelineStatus.From(
        metadata.Name,
        metadata.InstanceId,
        metadata.RuntimeStatus.ToString(),
        metadata.SerializedInput,
        metadata.SerializedCustomStatus,
        metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed ? null : metadata.SerializedOutput,
        metadata.CreatedAt,
        metadata.LastUpdatedAt,
        metadata.FailureDetails is { } failure ? new PipelineFailure(failure.ErrorType, failure.ErrorMessage) : null);
}
