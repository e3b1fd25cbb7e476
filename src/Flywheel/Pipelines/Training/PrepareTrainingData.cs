using Flywheel.Training;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines.Training;

/// <summary>Splits the labelled rows and writes each part's frame; both are content-addressed, so a rerun reads what the first run wrote.</summary>
public sealed class PrepareTrainingData(DataSplitter splitter, TrainingFrames frames) : TaskActivity<PrepareWork, TrainingData>
{
    public override async Task<TrainingData> RunAsync(TaskActivityContext context, PrepareWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var split = await splitter.SplitAsync(input.Plan, CancellationToken.None).ConfigureAwait(false);
        return new TrainingData(split, await frames.WriteAsync(input.Plan, split, CancellationToken.None).ConfigureAwait(false));
    }
}
