using Flywheel.Retraining.Canary;
using Flywheel.Serving.Signal;
using Microsoft.DurableTask;

namespace Flywheel.Retraining.Workflow;

/// <summary>
/// Judges a canary interval on every instance's serving signal: the candidate against the champion's live answers over
/// the same minutes; in the shadow stage, the candidate's shadow answers, whose latency is not compared with the
/// champion's (shadow scoring is timed off the request path, parsing included).
/// </summary>
public sealed class JudgeCanary(SignalStore signal) : TaskActivity<CanaryJudgeWork, CanaryJudgement>
{
    public override async Task<CanaryJudgement> RunAsync(TaskActivityContext context, CanaryJudgeWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var candidate = await signal.SumAsync(input.Model, input.Candidate, input.FromMinute, input.ToMinute, CancellationToken.None).ConfigureAwait(false);
        var champion = await signal.SumAsync(input.Model, input.Champion, input.FromMinute, input.ToMinute, CancellationToken.None).ConfigureAwait(false);
        return input.Shadow
            ? CanaryJudge.Judge(candidate.Shadow ?? candidate, champion, input.Checks, input.MinRequests, compareLatency: false)
            : CanaryJudge.Judge(candidate, champion, input.Checks, input.MinRequests);
    }
}
