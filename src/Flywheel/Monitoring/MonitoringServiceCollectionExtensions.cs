using Flywheel.Monitoring;
using Flywheel.Monitoring.Drift;
using Flywheel.Monitoring.Models;
using Flywheel.Monitoring.Reports;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class MonitoringServiceCollectionExtensions
{
    public static IServiceCollection AddFlywheelMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MonitoringOptions>().Bind(configuration.GetSection(MonitoringOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DriftMetrics>();
        services.AddSingleton<StoredColumnCache>();
        services.AddSingleton<DatasetDrift>();
        services.AddSingleton<MonitoringSettingsStore>();
        services.AddSingleton<PredictionLogReader>();
        services.AddSingleton<ReferencePredictions>();
        services.AddSingleton<ModelMonitor>();
        services.AddSingleton<MonitoringReports>();
        services.AddSingleton<OnDemandMonitoring>();
        return services;
    }
}
