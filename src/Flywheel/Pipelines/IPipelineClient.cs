using Flywheel.Contracts.Pipelines;
using Flywheel.Storage;

namespace Flywheel.Pipelines;

/// <summary>
/// The workflow-start port: how the API, the monitoring timer and (next) the retraining triggers start and read
/// orchestrations, whichever engine runs them: Durable Functions' <c>DurableTaskClient</c> in Azure, the Durable
/// Task Framework's client in LocalHost. Payloads go through the one <c>DataConverter</c> both engines share.
/// </summary>
public interface IPipelineClient
{
    Task StartAsync(string orchestrator, string instanceId, object input, CancellationToken cancellationToken);

    /// <summary>Null when there is no such instance.</summary>
    Task<PipelineStatus?> GetAsync(string instanceId, CancellationToken cancellationToken);

    Task<ListPage<PipelineStatus>> ListAsync(PipelineQuery query, CancellationToken cancellationToken);

    Task RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken);

    Task TerminateAsync(string instanceId, string? reason, CancellationToken cancellationToken);
}
