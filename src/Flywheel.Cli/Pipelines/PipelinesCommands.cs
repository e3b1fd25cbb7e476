using System.CommandLine;
using System.Text.Json;
using Flywheel.Cli.Output;
using Flywheel.Client.Pipelines;
using Flywheel.Contracts;
using Flywheel.Contracts.Pipelines;

namespace Flywheel.Cli.Pipelines;

/// <summary><c>flywheel pipelines ...</c>: pipeline runs of every kind (training, batch scoring, retraining): list, read, follow, steer.</summary>
internal static class PipelinesCommands
{
    public static Command Create(CommandBuilder build)
    {
        var id = new Argument<string>("id") { Description = "The pipeline's id (train and batch print it)" };
        var by = new Option<string?>("--by") { Description = "Who decides [default: $USER]" };
        var comment = new Option<string?>("--comment") { Description = "Why, for the model history" };
        var reason = new Option<string?>("--reason") { Description = "Why it was cancelled" };
        var name = new Option<string?>("--name") { Description = "Only this orchestration, such as TrainingOrchestration" };
        var status = new Option<string[]>("--status") { Description = "Only these runtime statuses (Running, Completed, Failed...)", AllowMultipleArgumentsPerToken = true };

        return build.Group("pipelines", "List, show, follow, approve, reject and cancel pipeline runs",
            build.Leaf("list", "List pipeline runs, newest first", "flywheel pipelines list --status Running",
                async (s, ct) =>
                {
                    var query = new PipelineListQuery { Name = s.Value(name), Statuses = (s.Value(status) ?? []).Select(ParseStatus).ToList() };
                    var items = await s.Client.Pipelines.ListAsync(query, ct).ToListAsync(ct);
                    s.Output.WriteList(items, ("id", p => p.InstanceId), ("name", p => p.Name), ("status", p => p.RuntimeStatus), ("created", p => p.CreatedTime),
                        ("updated", p => p.LastUpdatedTime));
                    return ExitCodes.Ok;
                }, name, status),
            build.Leaf("show", "Show a pipeline's status, progress and output", "flywheel pipelines show 6f1c2a",
                async (s, ct) =>
                {
                    s.Output.Write(await s.Client.Pipelines.GetAsync(s.Value(id), ct), PipelineWatcher.StatusTable);
                    return ExitCodes.Ok;
                }, id),
            build.Leaf("watch", "Follow a pipeline until it ends (Ctrl-C detaches; it keeps running); exits 4 when its candidate was not promoted",
                "flywheel pipelines watch 6f1c2a",
                (s, ct) => PipelineWatcher.WatchAsync(s, s.Client.Pipelines.Get(s.Value(id)), ct), id),
            build.Leaf("approve", "Approve a training waiting for a person (promotion manual)", "flywheel pipelines approve 6f1c2a --comment \"checked the card\"",
                async (s, ct) =>
                {
                    await s.Client.Pipelines.Get(s.Value(id)).ApproveAsync(s.Value(by) ?? s.Variable("USER"), s.Value(comment), ct);
                    s.Output.Note($"Approved {s.Value(id)}.");
                    return ExitCodes.Ok;
                }, id, by, comment),
            build.Leaf("reject", "Reject a training waiting for a person: the candidate stays registered, not promoted", "flywheel pipelines reject 6f1c2a --comment \"worse on segment B\"",
                async (s, ct) =>
                {
                    await s.Client.Pipelines.Get(s.Value(id)).RejectAsync(s.Value(by) ?? s.Variable("USER"), s.Value(comment), ct);
                    s.Output.Note($"Rejected {s.Value(id)}.");
                    return ExitCodes.Ok;
                }, id, by, comment),
            Events(build, id),
            build.Leaf("cancel", "Terminate a running pipeline", "flywheel pipelines cancel 6f1c2a --reason \"wrong dataset\"",
                async (s, ct) =>
                {
                    await s.Client.Pipelines.TerminateAsync(s.Value(id), s.Value(reason), ct);
                    s.Output.Note($"Cancelled {s.Value(id)}.");
                    return ExitCodes.Ok;
                }, id, reason));
    }

    private static Command Events(CommandBuilder build, Argument<string> id)
    {
        var name = new Argument<string>("name") { Description = "The event the pipeline waits for, such as a retraining's promote, rollback, pause or resume" };
        var data = new Option<string?>("--data") { Description = "The event's JSON payload" };
        return build.Leaf("events", "Raise a named event on a running pipeline", "flywheel pipelines events 6f1c2a promote",
            async (s, ct) =>
            {
                // Parsed here, so malformed JSON is a usage error (exit 2) rather than a 400 from the server.
                var payload = s.Value(data) is { } json ? JsonInput.Parse<JsonElement>(json, "--data") : (JsonElement?)null;
                await s.Client.Pipelines.RaiseEventAsync(s.Value(id), s.Value(name), payload, ct);
                s.Output.Note($"Raised {s.Value(name)} on {s.Value(id)}.");
                return ExitCodes.Ok;
            }, id, name, data);
    }

    private static PipelineRuntimeStatus ParseStatus(string text) =>
        Enum.TryParse<PipelineRuntimeStatus>(text, ignoreCase: true, out var status) ? status : throw new CliUsageException(
            $"'{text}' is not a pipeline status; use one of {string.Join(", ", Enum.GetNames<PipelineRuntimeStatus>())}.");
}
