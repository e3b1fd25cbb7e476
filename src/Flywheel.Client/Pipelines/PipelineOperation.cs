using Flywheel.Contracts.Pipelines;

namespace Flywheel.Client.Pipelines;

/// <summary>
/// A pipeline the app started (training, batch scoring, a retraining): read its status, steer it, or wait for it.
/// Waiting only reads; cancelling the wait leaves the pipeline running (<see cref="TerminateAsync"/> stops it).
/// </summary>
public sealed class PipelineOperation
{
    private readonly PipelinesClient _pipelines;

    internal PipelineOperation(PipelinesClient pipelines, string id, PipelineStarted? started = null)
    {
        _pipelines = pipelines;
        Id = id;
        Started = started;
    }

    /// <summary>The pipeline's instance id.</summary>
    public string Id { get; }

    /// <summary>What the app answered when it started the pipeline (null for an operation made from an id).</summary>
    public PipelineStarted? Started { get; }

    public Task<PipelineStatus> GetStatusAsync(CancellationToken cancellationToken = default) => _pipelines.GetAsync(Id, cancellationToken);

    /// <summary>
    /// Reads the status every <see cref="FlywheelClientOptions.PollInterval"/> until the pipeline has ended, reporting each
    /// status that differs from the one before (a step, a trial count, a canary weight). Returns the final status whether
    /// it completed, failed or was terminated: <see cref="PipelineStatus.RuntimeStatus"/> says which.
    /// </summary>
    public Task<PipelineStatus> WaitForCompletionAsync(IProgress<PipelineStatus>? progress = null, CancellationToken cancellationToken = default) =>
        _pipelines.WaitAsync(Id, progress, cancellationToken);

    /// <summary>Approves a training waiting for a person (promotion <c>manual</c>).</summary>
    public Task ApproveAsync(string? by = null, string? comment = null, CancellationToken cancellationToken = default) =>
        _pipelines.SendApprovalAsync(Id, new ApprovalEvent(true, by, comment), cancellationToken);

    /// <summary>Rejects a training waiting for a person: the candidate stays registered but is not promoted.</summary>
    public Task RejectAsync(string? by = null, string? comment = null, CancellationToken cancellationToken = default) =>
        _pipelines.SendApprovalAsync(Id, new ApprovalEvent(false, by, comment), cancellationToken);

    public Task TerminateAsync(string? reason = null, CancellationToken cancellationToken = default) => _pipelines.TerminateAsync(Id, reason, cancellationToken);
}
