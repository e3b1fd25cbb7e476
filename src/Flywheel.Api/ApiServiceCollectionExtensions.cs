using Flywheel.Api.Access;
using Flywheel.Api.Datasets;
using Flywheel.Api.Health;
using Flywheel.Api.Monitoring;
using Flywheel.Api.Pipelines;
using Flywheel.Api.Registry;
using Flywheel.Api.Retraining;
using Flywheel.Api.Serving;
using Flywheel.Api.Training;
using Flywheel.Contracts;
using Flywheel.Monitoring;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class ApiServiceCollectionExtensions
{
    /// <summary>Registers Flywheel and the HTTP handlers both hosts route requests to.</summary>
    public static IServiceCollection AddFlywheelApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFlywheel(configuration);
        services.AddProblemDetails();

        // Configured once: typed results (Ok<T>, Created<T>) and problem details write with Flywheel's options.
        services.ConfigureHttpJsonOptions(json => FlywheelJson.Configure(json.SerializerOptions));
        services.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Caller>();
        services.AddSingleton<HealthHandler>();
        services.AddSingleton<DatasetHandlers>();
        services.AddSingleton<ModelHandlers>();
        services.AddSingleton<PredictionHandlers>();
        services.AddSingleton<OipHandlers>();
        services.AddSingleton<PipelineHandlers>();
        services.AddSingleton<TrainingHandlers>();
        services.AddSingleton<RunHandlers>();
        services.AddSingleton<MonitoringHandlers>();
        services.AddSingleton<RetrainingHandlers>();
        return services;
    }
}
