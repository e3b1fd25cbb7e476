using Flywheel.Retraining.Canary;
using Flywheel.Serving.Signal;
using Microsoft.DurableTask;

namespace Flywheel.Retraining.Workflow;

/// <summary>Judges a canary interval on every instance's serving signal: the candidate against the champion over the same minutes.</summary>
public sealed class JudgeCanary(SignalStore signal) : TaskActivity<CanaryJudgeWork, CanaryJudgement>
{
    public override async Task<CanaryJudgement> RunAsync(TaskActivityContext context, CanaryJudgeWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var candidate = await signal.SumAsync(input.Model, input.Candidate, input.FromMinute, input.ToMinute, CancellationToken.None).ConfigureAwait(false);
        var champion = await signal.SumAsync(input.Model, input.Champion, input.FromMinute, input.ToMinute, CancellationToken.None).ConfigureAwait(false);
        return CanaryJudge.Judge(candidate, champion, input.Checks, input.MinRequests);
    }
}
