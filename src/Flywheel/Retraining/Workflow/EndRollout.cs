using Microsoft.DurableTask;

namespace Flywheel.Retraining.Workflow;

/// <summary>Ends a retraining's routes: promoted or restored, in one write (<see cref="CanaryRoutes.EndAsync"/>).</summary>
public sealed class EndRollout(CanaryRoutes routes) : TaskActivity<RolloutEnd, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RolloutEnd input)
    {
        await routes.EndAsync(input, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
