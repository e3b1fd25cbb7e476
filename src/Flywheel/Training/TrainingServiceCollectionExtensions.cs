using Flywheel.Training;

namespace Microsoft.Extensions.DependencyInjection;

public static class TrainingServiceCollectionExtensions
{
    public static IServiceCollection AddFlywheelTraining(this IServiceCollection services)
    {
        services.AddSingleton<TrainingPlanner>();
        services.AddSingleton<DataSplitter>();
        services.AddSingleton<TrainingFrames>();
        return services;
    }
}
