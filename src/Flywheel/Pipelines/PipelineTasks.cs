using Flywheel.Pipelines.BatchScoring;
using Flywheel.Pipelines.Monitoring;
using Flywheel.Pipelines.Training;
using Flywheel.Retraining.Workflow;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines;

/// <summary>Every orchestration and activity, registered once for both engines (Durable Functions in Azure, the Durable Task Framework locally).</summary>
public static class PipelineTasks
{
    /// <summary>The orchestrator names the API starts, defined once.</summary>
    public const string BatchScoring = nameof(BatchScoringOrchestration);

    public const string Training = nameof(TrainingOrchestration);

    public const string ModelMonitoring = nameof(ModelMonitoringOrchestration);

    public const string Retraining = nameof(RetrainingOrchestration);

    public static DurableTaskRegistry AddFlywheelTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<BatchScoringOrchestration>()
            .AddActivity<PlanBatchScoring>()
            .AddActivity<ScoreBatchChunk>()
            .AddActivity<AssembleBatchPredictions>()
            .AddOrchestrator<TrainingOrchestration>()
            .AddActivity<PrepareTrainingData>()
            .AddActivity<TrainTrial>()
            .AddActivity<FinishTraining>()
            .AddActivity<GateCandidate>()
            .AddActivity<PromoteCandidate>()
            .AddActivity<WriteTrainingReport>()
            .AddOrchestrator<ModelMonitoringOrchestration>()
            .AddActivity<PlanModelMonitoring>()
            .AddActivity<CompareFeatureGroup>()
            .AddActivity<CompareModelOutputs>()
            .AddActivity<FinishModelMonitoring>()
            .AddOrchestrator<RetrainingOrchestration>()
            .AddActivity<NoteRetraining>()
            .AddActivity<SetCanaryTraffic>()
            .AddActivity<JudgeCanary>()
            .AddActivity<EndRollout>()
            .AddActivity<FinishRetraining>();
    }
}
