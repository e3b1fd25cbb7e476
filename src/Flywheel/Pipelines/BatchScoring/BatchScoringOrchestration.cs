using Flywheel.Contracts.Pipelines;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines.BatchScoring;

/// <summary>
/// Batch scoring: plan (versions, columns, chunk boundaries), score the chunks with at most
/// <see cref="BatchScoringRequest"/>'s parallelism in flight, then commit them as one file.
/// Only small records travel through the history; rows and predictions stay in blobs.
/// </summary>
public sealed class BatchScoringOrchestration : TaskOrchestrator<BatchScoringStart, BatchScoringResult>
{
    public override async Task<BatchScoringResult> RunAsync(TaskOrchestrationContext context, BatchScoringStart input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = ActivityRetry.Options(input.ActivityAttempts);
        context.SetCustomStatus(new BatchScoringProgress(BatchScoringStep.Planning, 0, 0, 0));
        var plan = await context.CallActivityAsync<BatchScoringPlan>(nameof(PlanBatchScoring), new PlanWork(input.Request, context.InstanceId), retry);

        var shared = plan with { Chunks = [] };
        var done = 0;
        var rows = 0L;
        context.SetCustomStatus(new BatchScoringProgress(BatchScoringStep.Scoring, 0, plan.Chunks.Count, 0));
        await BoundedFanOut.RunAsync(plan.Chunks, input.Parallelism,
            chunk => context.CallActivityAsync<ChunkScored>(nameof(ScoreBatchChunk), new ChunkWork(shared, chunk), retry),
            scored =>
            {
                rows += scored.Rows;
                done++;
                context.SetCustomStatus(new BatchScoringProgress(BatchScoringStep.Scoring, done, plan.Chunks.Count, rows));
            });

        context.SetCustomStatus(new BatchScoringProgress(BatchScoringStep.Assembling, done, plan.Chunks.Count, rows));
        var result = await context.CallActivityAsync<BatchScoringResult>(nameof(AssembleBatchPredictions), plan, retry);
        context.SetCustomStatus(new BatchScoringProgress(BatchScoringStep.Completed, done, plan.Chunks.Count, rows));
        return result;
    }
}
