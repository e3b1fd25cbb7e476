using Flywheel.Functions.Pipelines;
using Flywheel.Retraining;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Flywheel.Functions.Retraining;

/// <summary>The retraining timer; the policy and retraining routes are HTTP functions generated from the API's declaration.</summary>
public sealed class RetrainingFunctions(RetrainingStarter starter)
{
    /// <summary>
    /// The retraining schedule (the RETRAINING_SCHEDULE app setting, every minute by default): starts the retrainings that
    /// new data, drift or a policy's schedule asked for. A flat setting name, as MONITORING_SCHEDULE is, for the scale controller.
    /// </summary>
    [Function(nameof(RetrainModels))]
    public Task RetrainModels([TimerTrigger("%RETRAINING_SCHEDULE%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        starter.TickAsync(new DurablePipelineClient(client), cancellationToken);
}
