using Flywheel.Monitoring;
using Flywheel.Monitoring.Drift;
using Flywheel.Monitoring.Feedback;
using Flywheel.Monitoring.Models;
using Flywheel.Monitoring.Performance;
using Flywheel.Monitoring.Reports;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class MonitoringServiceCollectionExtensions
{
    public static IServiceCollection AddFlywheelMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MonitoringOptions>()
            .Bind(configuration.GetSection(MonitoringOptions.SectionName))
            .Configure(options =>
            {
                // The Functions timer fires on the flat MONITORING_SCHEDULE setting; when it is set, the
                // schedule every model defaults to is that same value, on either host.
                if (configuration[MonitoringOptions.ScheduleSetting] is { Length: > 0 } schedule)
                {
                    options.Schedule = schedule;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<DriftMetrics>();
        services.AddSingleton<StoredColumnCache>();
        services.AddSingleton<DatasetDrift>();
        services.AddSingleton<MonitoringScheduler>();
        services.AddSingleton<MonitoringSettingsStore>();
        services.AddSingleton<PredictionLogReader>();
        services.AddSingleton<FeedbackJoin>();
        services.AddSingleton<FeedbackDataset>();
        services.AddSingleton<ReferencePredictions>();
        services.AddSingleton<ModelMonitor>();
        services.AddSingleton<MonitoringReports>();
        services.AddSingleton<OnDemandMonitoring>();
        return services;
    }
}
