using Microsoft.DurableTask;

namespace Flywheel.Pipelines;

/// <summary>How every orchestration retries its activities: <c>ActivityAttempts</c> attempts, 1 s apart, doubling.</summary>
public static class ActivityRetry
{
    public static TaskOptions Options(int attempts) =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(attempts, TimeSpan.FromSeconds(1), backoffCoefficient: 2));
}
