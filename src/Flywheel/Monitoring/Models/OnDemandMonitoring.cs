using Flywheel.Contracts.Monitoring;
using Flywheel.Monitoring.Reports;
using Flywheel.Storage;
using Microsoft.Extensions.Options;

namespace Flywheel.Monitoring.Models;

/// <summary>
/// <c>POST api/models/{name}/drift/run</c>: the scheduled run's steps in this process (feature groups
/// side by side), stored like a scheduled report under an id of its own.
/// </summary>
public sealed class OnDemandMonitoring(ModelMonitor monitor, MonitoringReports reports, IOptions<MonitoringOptions> options, TimeProvider time, Random random)
{
    public async Task<ModelMonitoringReport> RunAsync(string name, DriftRunRequest request, CancellationToken cancellationToken)
    {
        var id = $"{CompactTime.Format(time.GetUtcNow())}-{random.Next(0x10000):x4}";
        var plan = await monitor.PlanAsync(name, request, MonitoringTrigger.OnDemand, id, cancellationToken).ConfigureAwait(false);
        var groups = await Task.WhenAll(plan.Groups(options.Value.FeatureGroupSize).Select(g => monitor.CompareFeaturesAsync(plan, g, cancellationToken))).ConfigureAwait(false);
        var outputs = await monitor.CompareOutputsAsync(plan, cancellationToken).ConfigureAwait(false);
        var report = monitor.Assemble(plan, groups, outputs);
        await reports.SaveAsync(report, cancellationToken).ConfigureAwait(false);
        return report;
    }
}
