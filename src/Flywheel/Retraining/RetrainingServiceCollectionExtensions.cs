using Flywheel.Datasets.Versions;
using Flywheel.Monitoring.Reports;
using Flywheel.Retraining;
using Flywheel.Retraining.Policy;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class RetrainingServiceCollectionExtensions
{
    public static IServiceCollection AddFlywheelRetraining(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetrainingOptions>()
            .Bind(configuration.GetSection(RetrainingOptions.SectionName))
            .Configure(options =>
            {
                // The Functions timer fires on the flat RETRAINING_SCHEDULE setting; LocalHost's timer reads the same value.
                if (configuration[RetrainingOptions.ScheduleSetting] is { Length: > 0 } schedule)
                {
                    options.Schedule = schedule;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RetrainingPolicies>();
        services.AddSingleton<RetrainingLedger>();
        services.AddSingleton<CanaryRoutes>();
        services.AddSingleton<TriggerWatcher>();
        services.AddSingleton<IDatasetVersionObserver>(s => s.GetRequiredService<TriggerWatcher>());
        services.AddSingleton<IMonitoringReportObserver>(s => s.GetRequiredService<TriggerWatcher>());
        services.AddSingleton<RetrainingStarter>();
        return services;
    }
}
