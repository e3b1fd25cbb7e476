using Microsoft.DurableTask;

namespace Flywheel.Retraining.Workflow;

/// <summary>Sets a canary stage's routes (<see cref="CanaryRoutes.SetAsync"/>).</summary>
public sealed class SetCanaryTraffic(CanaryRoutes routes) : TaskActivity<CanaryTraffic, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, CanaryTraffic input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await routes.SetAsync(input, CancellationToken.None).ConfigureAwait(false);
        return input.Weight;
    }
}
