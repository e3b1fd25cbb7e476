using System.CommandLine;
using Flywheel.Client.Training;

namespace Flywheel.Cli.Runs;

/// <summary><c>flywheel runs list</c>: tracked trials across trainings, filtered and ordered with the runs grammar.</summary>
internal static class RunsCommands
{
    public static Command Create(CommandBuilder build)
    {
        var model = new Option<string?>("--model", "-m") { Description = "Only this model's runs" };
        var pipeline = new Option<string?>("--pipeline", "-p") { Description = "Only this pipeline's runs" };
        var filter = new Option<string?>("--filter") { Description = "Such as \"metrics.auc > 0.9 and params.trainer = 'FastTree'\"" };
        var orderBy = new Option<string?>("--order-by") { Description = "Such as \"metrics.auc desc\"" };
        var top = new Option<int?>("--top") { Description = "At most this many runs" };

        return build.Group("runs", "Tracked trials: parameters and metrics of every candidate",
            build.Leaf("list", "List runs, filtered and ordered", "flywheel runs list --model churn --filter \"metrics.auc > 0.9\" --order-by \"metrics.auc desc\"",
                async (s, ct) =>
                {
                    var runs = s.Client.Runs.ListAsync(new RunQuery(s.Value(model), s.Value(pipeline), s.Value(filter), s.Value(orderBy)), ct);
                    var items = await (s.Value(top) is { } n ? runs.Take(n) : runs).ToListAsync(ct);
                    s.Output.WriteList(items, ("run", r => r.RunId), ("model", r => r.Model), ("trial", r => r.Trial), ("trainer", r => r.Trainer),
                        ("status", r => r.Status), ("metrics", r => r.Metrics), ("version", r => r.ModelVersion));
                    return ExitCodes.Ok;
                }, model, pipeline, filter, orderBy, top));
    }
}
