using Flywheel.Events;
using Flywheel.Registry;
using Microsoft.DurableTask;

namespace Flywheel.Retraining.Workflow;

/// <summary>
/// Adds a step to the retraining's record and, the first time only (a retry adds nothing twice), the model's history
/// entry and the CloudEvent the step calls for.
/// </summary>
public sealed class NoteRetraining(RetrainingLedger ledger, ModelRegistry registry, EventPublisher events) : TaskActivity<RetrainingNote, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RetrainingNote input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var added = await ledger.AppendStepAsync(input.Model, input.Id, input.Sequence, input.Step, record => record with
        {
            Status = input.Status ?? record.Status,
            Champion = input.Champion ?? record.Champion,
            Candidate = input.Candidate ?? record.Candidate,
        }, CancellationToken.None).ConfigureAwait(false);
        if (!added)
        {
            return false;
        }

        if (input.History is { } action)
        {
            await registry.NoteAsync(input.Model, action, input.Candidate, $"retraining {input.Id}", input.Step.Detail, CancellationToken.None).ConfigureAwait(false);
        }

        if (input.EventType is { } type)
        {
            await events.PublishAsync(type, $"models/{input.Model}/retrainings/{input.Id}",
                new { model = input.Model, retraining = input.Id, step = input.Step.Step, detail = input.Step.Detail, champion = input.Champion, candidate = input.Candidate },
                CancellationToken.None).ConfigureAwait(false);
        }

        return true;
    }
}
