using Flywheel.Training;

namespace Microsoft.Extensions.DependencyInjection;

public static class TrainingServiceCollectionExtensions
{
    public static IServiceCollection AddFlywheelTraining(this IServiceCollection services)
    {
        services.AddSingleton<TrainingPlanner>();
        services.AddSingleton<DataSplitter>();
        services.AddSingleton<TrainingFrames>();
        services.AddSingleton<TrainingSpecs>();
        services.AddSingleton<Flywheel.Training.Tracking.RunStore>();
        return services;
    }
}
