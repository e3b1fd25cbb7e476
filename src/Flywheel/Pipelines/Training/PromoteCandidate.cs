using Flywheel.Contracts.Registry;
using Flywheel.Registry;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines.Training;

/// <summary>Points the model's <c>champion</c> alias at the trained version, in the registry's audit history as the pipeline's doing. Setting it again is harmless.</summary>
public sealed class PromoteCandidate(ModelRegistry registry) : TaskActivity<PromotionWork, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, PromotionWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await registry.SetAliasAsync(input.Model, AliasName.Champion, input.Version, $"pipeline {input.PipelineId}", CancellationToken.None).ConfigureAwait(false);
        return input.Version;
    }
}
