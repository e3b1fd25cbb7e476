using System.Globalization;
using System.Text.Json;
using Flywheel.Cli.Output;
using Flywheel.Client.Pipelines;
using Flywheel.Contracts.Pipelines;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Flywheel.Cli.Pipelines;

/// <summary>
/// Waits for a pipeline the way <c>train</c> and <c>pipelines watch</c> both do: a live line on a terminal (step,
/// trials done/total, best so far, elapsed, read from the custom status), the final status when it ends, and on
/// Ctrl-C a detach that leaves the pipeline running and says how to pick it up again.
/// </summary>
internal static class PipelineWatcher
{
    public static async Task<int> WatchAsync(CliSession session, PipelineOperation operation, CancellationToken cancellationToken)
    {
        PipelineStatus final;
        try
        {
            if (session.ShowsProgress)
            {
                final = await session.Output.Console.Status().Spinner(Spinner.Known.Dots).StartAsync($"Waiting for {operation.Id}", context =>
                    operation.WaitForCompletionAsync(new LiveLine(context), cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                final = await operation.WaitForCompletionAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (session.Interrupt.IsCancellationRequested)
        {
            await session.Error.WriteLineAsync(
                $"Detached: pipeline {operation.Id} keeps running. Follow it with 'flywheel pipelines watch {operation.Id}'; stop it with 'flywheel pipelines cancel {operation.Id}'.")
                .ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        session.Output.Write(final, StatusTable);
        return ExitCodeOf(final);
    }

    /// <summary>Failed or terminated runs are failures; a run that ended with its candidate not promoted (gate, approval, canary) is a rejection.</summary>
    public static int ExitCodeOf(PipelineStatus status)
    {
        if (status.RuntimeStatus != PipelineRuntimeStatus.Completed)
        {
            return status.IsFinished ? ExitCodes.Failure : ExitCodes.Ok;
        }

        var output = status.Output is { ValueKind: JsonValueKind.Object } o ? o : default;
        var said = Text(output, "promotion") ?? Text(output, "status");
        return said is "not-promoted" or "rejected" or "rolled-back" ? ExitCodes.Rejected : ExitCodes.Ok;
    }

    /// <summary>The one line a running pipeline is summed up in, from its custom status.</summary>
    public static string Describe(PipelineStatus status, DateTimeOffset now)
    {
        var parts = new List<string> { $"{status.Name} {status.InstanceId}: {status.RuntimeStatus}" };
        if (status.CustomStatus is { ValueKind: JsonValueKind.Object } custom)
        {
            if (Text(custom, "step") is { } step)
            {
                parts.Add($"step {step}");
            }

            if (Number(custom, "trialsDone") is { } done && Number(custom, "trialsTotal") is { } total)
            {
                parts.Add($"trials {done}/{total}");
            }

            if (custom.TryGetProperty("best", out var best) && best.ValueKind == JsonValueKind.Object
                && best.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number)
            {
                parts.Add($"best {Text(custom, "metric")} {value.GetDouble().ToString("0.####", CultureInfo.InvariantCulture)} ({Text(best, "trainer")})");
            }
        }

        var elapsed = (status.IsFinished ? status.LastUpdatedTime : now) - status.CreatedTime;
        parts.Add($"elapsed {elapsed:hh\\:mm\\:ss}");
        return string.Join(" · ", parts);
    }

    public static IRenderable StatusTable(PipelineStatus s) => OutputWriter.Fields(
        ("pipeline", s.InstanceId), ("name", s.Name), ("status", s.RuntimeStatus), ("progress", Describe(s, DateTimeOffset.UtcNow)),
        ("created", s.CreatedTime), ("updated", s.LastUpdatedTime), ("output", s.Output), ("failure", s.Failure?.ErrorMessage));

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    /// <summary>Redraws the status line synchronously as each new status arrives.</summary>
    private sealed class LiveLine(StatusContext context) : IProgress<PipelineStatus>
    {
        public void Report(PipelineStatus value) => context.Status(Markup.Escape(Describe(value, DateTimeOffset.UtcNow)));
    }
}
