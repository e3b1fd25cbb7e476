using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Flywheel.Events;
using Flywheel.Registry;
using Flywheel.Retraining.Workflow;

namespace Flywheel.Retraining;

/// <summary>
/// A retraining's routes, set through the model's deployment (so serving, its sticky header and its shadow work as for
/// any deployment) and ended in one write each way: promoted (the candidate becomes the champion and the deployment the
/// canary replaced comes back, so all of the traffic follows the alias) or restored (the replaced deployment comes back,
/// and a rejected candidate is tagged with why). Never silent: a history entry and a CloudEvent say what and why.
/// </summary>
public sealed class CanaryRoutes(ModelRegistry registry, RetrainingLedger ledger, EventPublisher events)
{
    /// <summary>The tag a rolled-back candidate gets, holding why.</summary>
    public const string RejectedTag = "rejected";

    /// <summary>Sets a stage's routes after remembering the deployment the canary replaces; setting the same stage again is harmless.</summary>
    public async Task SetAsync(CanaryTraffic input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if ((await ledger.GetAsync(input.Model, input.Id, cancellationToken).ConfigureAwait(false))?.Finished is not null)
        {
            // Ended from outside (terminated, found abandoned) while this change was on its way: its routes are restored already.
            return;
        }

        var current = await registry.GetDeploymentAsync(input.Model, cancellationToken).ConfigureAwait(false);
        var origin = await ledger.RememberOriginAsync(input.Model, input.Id, current, cancellationToken).ConfigureAwait(false);
        List<DeploymentRoute> routes = [new(VersionReference.Of(input.Champion), 100 - input.Weight)];
        if (input.Weight > 0)
        {
            routes.Add(new DeploymentRoute(VersionReference.Of(input.Candidate), input.Weight));
        }

        var deployment = new Deployment(routes, input.Shadow ? new ShadowRoute(VersionReference.Of(input.Candidate)) : null, origin.Deployment?.Sticky, input.AllowSignatureChange);
        await registry.SetDeploymentAsync(input.Model, deployment, $"retraining {input.Id}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends a retraining's routes; also what a termination, or a crash found later, restores with. Repeating it is harmless.</summary>
    public async Task EndAsync(RolloutEnd input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var origin = await ledger.OriginAsync(input.Model, cancellationToken).ConfigureAwait(false);
        var mine = origin?.Retraining == input.Id;
        var by = $"retraining {input.Id}";
        if (input.Ending == RolloutEnding.Promote)
        {
            var deployment = mine ? origin!.Deployment : await registry.GetDeploymentAsync(input.Model, cancellationToken).ConfigureAwait(false);
            await registry.PromoteAsync(input.Model, input.Candidate, deployment, by, input.Detail, cancellationToken).ConfigureAwait(false);
            await events.PublishAsync(EventTypes.ModelPromoted, $"models/{input.Model}/versions/{input.Candidate}",
                new { model = input.Model, version = input.Candidate, previous = input.Champion, retraining = input.Id, reason = input.Detail }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (mine)
            {
                await registry.RestoreDeploymentAsync(input.Model, origin!.Deployment, HistoryAction.CanaryRolledBack, input.Candidate, by, input.Detail, cancellationToken).ConfigureAwait(false);
            }

            if (input.Rejected)
            {
                var version = await registry.GetAsync(input.Model, VersionReference.Of(input.Candidate), cancellationToken).ConfigureAwait(false);
                var tags = new Dictionary<string, string>(version?.Tags ?? new Dictionary<string, string>()) { [RejectedTag] = Shorten(input.Detail) };
                await registry.UpdateAsync(input.Model, input.Candidate, null, tags, cancellationToken).ConfigureAwait(false);
            }

            await events.PublishAsync(EventTypes.ModelRolledBack, $"models/{input.Model}/versions/{input.Candidate}",
                new { model = input.Model, version = input.Candidate, champion = input.Champion, retraining = input.Id, reason = input.Detail }, cancellationToken).ConfigureAwait(false);
        }

        await ledger.ForgetOriginAsync(input.Model, input.Id, cancellationToken).ConfigureAwait(false);
    }

    private static string Shorten(string text) => text.Length <= 1000 ? text : string.Concat(text.AsSpan(0, 997), "...");
}
