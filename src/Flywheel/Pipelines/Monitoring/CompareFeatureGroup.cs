using Flywheel.Monitoring.Models;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines.Monitoring;

/// <summary>Drift and data quality of one group of features. Reads only.</summary>
public sealed class CompareFeatureGroup(ModelMonitor monitor) : TaskActivity<FeatureGroupWork, FeatureGroupResult>
{
    public override Task<FeatureGroupResult> RunAsync(TaskActivityContext context, FeatureGroupWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return monitor.CompareFeaturesAsync(input.Plan, input.Group, CancellationToken.None);
    }
}
