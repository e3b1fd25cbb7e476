using System.Text.Json;
using Flywheel.Contracts.Pipelines;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines;

/// <summary>
/// A durable wait for a person's approval (<c>POST api/pipelines/{id}/events/approval</c>), shared by the workflows
/// that ask for one. An event that is not an approval is reported through <c>ignored</c> and the wait goes on.
/// </summary>
public static class ApprovalWait
{
    /// <summary>How many events that are not approvals one wait reads before it gives up as if none came: each adds to the orchestration's history.</summary>
    public const int MaxIgnoredEvents = 100;

    /// <returns>The approval, or null when none came within <paramref name="timeout"/>.</returns>
    public static async Task<ApprovalEvent?> WaitAsync(TaskOrchestrationContext context, TimeSpan timeout, Action<string> ignored)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(ignored);
        using var cancel = new CancellationTokenSource();
        var deadline = context.CreateTimer(context.CurrentUtcDateTime + timeout, cancel.Token);
        for (var ignoredEvents = 0; ignoredEvents < MaxIgnoredEvents; ignoredEvents++)
        {
            // Raw JSON, read here: typed, a payload that does not bind would throw inside the engine on every replay.
            var approval = context.WaitForExternalEvent<JsonElement?>(ApprovalEvent.Name);
            if (await Task.WhenAny(approval, deadline) != approval)
            {
                return null;
            }

            if (ApprovalEvent.Read(await approval, out var problem) is { } answer)
            {
                cancel.Cancel();
                return answer;
            }

            ignored(problem!);
        }

        return null;
    }
}
