using Microsoft.DurableTask;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>Resolves the versions, checks the columns, finds the chunk boundaries and scores one row. Reads only: safe to run again.</summary>
public sealed class PlanBatchScoring(BatchScoringPlanner planner) : TaskActivity<PlanWork, BatchScoringPlan>
{
    public override Task<BatchScoringPlan> RunAsync(TaskActivityContext context, PlanWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return planner.PlanAsync(input.Request, input.InstanceId, CancellationToken.None);
    }
}
