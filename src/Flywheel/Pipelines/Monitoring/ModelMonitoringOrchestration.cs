using Flywheel.Monitoring.Models;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines.Monitoring;

/// <summary>
/// One model's scheduled monitoring run over one window: plan, compare the feature groups in
/// parallel (each activity reads only its columns) and the answers, then store the report. The
/// instance id is the model and the window's end, so a second trigger for the same window finds it
/// and starts nothing; the report id is the window's end, so a replayed finish overwrites one report.
/// </summary>
public sealed class ModelMonitoringOrchestration : TaskOrchestrator<MonitoringStart, MonitoringOutcome>
{
    public override async Task<MonitoringOutcome> RunAsync(TaskOrchestrationContext context, MonitoringStart input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = ActivityRetry.Options(input.ActivityAttempts);
        var plan = await context.CallActivityAsync<MonitoringPlan>(nameof(PlanModelMonitoring), input, retry);
        var groups = plan.Groups(input.FeatureGroupSize).Select(group => context.CallActivityAsync<FeatureGroupResult>(nameof(CompareFeatureGroup), new FeatureGroupWork(plan, group), retry)).ToList();
        var outputs = context.CallActivityAsync<OutputResult>(nameof(CompareModelOutputs), plan, retry);
        var results = await Task.WhenAll(groups);
        return await context.CallActivityAsync<MonitoringOutcome>(nameof(FinishModelMonitoring), new FinishMonitoringWork(plan, results, await outputs), retry);
    }
}
