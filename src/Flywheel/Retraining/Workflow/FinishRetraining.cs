using Flywheel.Contracts.Registry;
using Flywheel.Contracts;
using Flywheel.Events;
using Flywheel.Registry;
using Microsoft.DurableTask;

namespace Flywheel.Retraining.Workflow;

/// <summary>Records a retraining's outcome, releases the model's claim (the cooldown starts), and says so in the history and a CloudEvent.</summary>
public sealed class FinishRetraining(RetrainingLedger ledger, ModelRegistry registry, EventPublisher events, TimeProvider time) : TaskActivity<RetrainingEnd, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RetrainingEnd input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var now = time.GetUtcNow();
        var changed = await ledger.UpdateAsync(input.Model, input.Id, record => record.Finished is not null ? null : record with
        {
            Status = input.Status,
            Reason = input.Reason,
            Finished = now,
            Champion = input.Champion ?? record.Champion,
            Candidate = input.Candidate ?? record.Candidate,
        }, CancellationToken.None).ConfigureAwait(false);
        await ledger.ReleaseAsync(input.Model, input.Id, now, CancellationToken.None).ConfigureAwait(false);
        if (changed)
        {
            await registry.NoteAsync(input.Model, HistoryAction.RetrainingFinished, input.Candidate, $"retraining {input.Id}",
                $"{WireNames.Of(input.Status)}: {input.Reason}", CancellationToken.None).ConfigureAwait(false);
            await events.PublishAsync(EventTypes.PipelineCompleted, $"pipelines/{input.Id}",
                new { pipeline = input.Id, kind = "retraining", model = input.Model, outcome = WireNames.Of(input.Status), reason = input.Reason, input.Champion, input.Candidate },
                CancellationToken.None).ConfigureAwait(false);
        }

        return changed;
    }
}
