using System.CommandLine;
using Flywheel.Cli.Output;
using Flywheel.Contracts;
using Flywheel.Contracts.Retraining;
using Spectre.Console.Rendering;

namespace Flywheel.Cli.Retraining;

/// <summary><c>flywheel retrain ...</c>: a model's retrainings, and a person's say over a running canary.</summary>
internal static class RetrainCommands
{
    public static Command Create(CommandBuilder build)
    {
        var model = new Argument<string>("model") { Description = "The model" };
        var reason = new Option<string?>("--reason") { Description = "Why, recorded as the trigger's reason" };
        return build.Group("retrain", "Continuous training: status, start, and steer a running canary",
            build.Leaf("status", "The model's retrainings, newest first, with their steps and outcome", "flywheel retrain status churn",
                async (s, ct) =>
                {
                    var items = await s.Client.Retraining.ListAsync(s.Value(model), ct).ToListAsync(ct);
                    s.Output.WriteList(items, ("id", r => r.Id), ("trigger", r => r.Trigger.Kind), ("status", r => r.Status), ("champion", r => r.Champion),
                        ("candidate", r => r.Candidate), ("created", r => r.Created), ("last step", r => r.Steps.LastOrDefault()?.Detail));
                    return ExitCodes.Ok;
                }, model),
            build.Leaf("start", "Retrain now with the saved training spec", "flywheel retrain start churn --reason \"new labels\"",
                async (s, ct) =>
                {
                    var record = await s.Client.Retraining.StartAsync(s.Value(model), s.Value(reason), ct);
                    s.Output.Write(record, RecordTable);
                    s.Output.Note($"Started {record.Id}. Follow it with 'flywheel pipelines watch {record.Id}'.");
                    return ExitCodes.Ok;
                }, model, reason),
            Steer(build, RetrainingCommand.Promote, "Promote the candidate now, ending the canary", "flywheel retrain promote 6f1c2a"),
            Steer(build, RetrainingCommand.Rollback, "Roll the candidate back: the champion takes all traffic again", "flywheel retrain rollback 6f1c2a"),
            Steer(build, RetrainingCommand.Pause, "Hold the canary at its current weight", "flywheel retrain pause 6f1c2a"),
            Steer(build, RetrainingCommand.Resume, "Let a held canary go on", "flywheel retrain resume 6f1c2a"));
    }

    private static Command Steer(CommandBuilder build, RetrainingCommand command, string description, string example)
    {
        var id = new Argument<string>("id") { Description = "The retraining's id (its pipeline's id)" };
        return build.Leaf(WireNames.Of(command), description, example,
            async (s, ct) =>
            {
                await s.Client.Retraining.SendAsync(s.Value(id), command, ct);
                s.Output.Note($"Sent {WireNames.Of(command)} to {s.Value(id)}.");
                return ExitCodes.Ok;
            }, id);
    }

    private static IRenderable RecordTable(RetrainingRecord r) => OutputWriter.Fields(
        ("id", r.Id), ("model", r.Model), ("trigger", $"{r.Trigger.Kind}: {r.Trigger.Reason}"), ("status", r.Status), ("champion", r.Champion),
        ("candidate", r.Candidate), ("reason", r.Reason));
}
