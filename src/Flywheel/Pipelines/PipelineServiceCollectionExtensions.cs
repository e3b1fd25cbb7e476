using Flywheel;
using Flywheel.Pipelines;
using Flywheel.Pipelines.BatchScoring;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class PipelineServiceCollectionExtensions
{
    public static IServiceCollection AddFlywheelPipelines(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton<BatchScoringPlanner>();
        services.AddSingleton<BatchOutputBlobs>();

        // One converter for both engines and both clients (the Durable packages pick a DataConverter
        // service up when none is set explicitly), so payload records round-trip identically.
        services.AddSingleton<DataConverter>(new JsonDataConverter(Json.Options));
        return services;
    }
}
