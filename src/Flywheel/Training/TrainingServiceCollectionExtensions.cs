using Flywheel.Training;

namespace Microsoft.Extensions.DependencyInjection;

public static class TrainingServiceCollectionExtensions
{
    public static IServiceCollection AddFlywheelTraining(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<FeaturizationOptions>().Bind(configuration.GetSection(FeaturizationOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TrainingPlanner>();
        services.AddSingleton<DataSplitter>();
        services.AddSingleton<Flywheel.Training.Evaluation.UnseenRows>();
        services.AddSingleton<TrainingFrames>();
        services.AddSingleton<TrainingSpecs>();
        services.AddSingleton<Flywheel.Training.Tracking.RunStore>();
        return services;
    }
}
