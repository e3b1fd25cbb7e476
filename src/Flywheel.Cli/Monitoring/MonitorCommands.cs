using System.CommandLine;
using Flywheel.Cli.Datasets;
using Flywheel.Cli.Output;
using Flywheel.Contracts.Monitoring;
using Spectre.Console.Rendering;

namespace Flywheel.Cli.Monitoring;

/// <summary><c>flywheel monitor ...</c>: a model's drift and performance reports.</summary>
internal static class MonitorCommands
{
    public static Command Create(CommandBuilder build)
    {
        var model = new Argument<string>("model") { Description = "The monitored model" };
        return build.Group("monitor", "A model's drift and performance reports",
            build.Leaf("show", "Show the model's latest report", "flywheel monitor show churn",
                async (s, ct) =>
                {
                    if (await s.Client.Monitoring.GetLatestAsync(s.Value(model), ct) is not { } report)
                    {
                        await s.Error.WriteLineAsync($"error: model '{s.Value(model)}' has no monitoring report yet; run 'flywheel monitor run {s.Value(model)}'.");
                        return ExitCodes.NotFound;
                    }

                    s.Output.Write(report, ReportTable);
                    return ExitCodes.Ok;
                }, model),
            build.Leaf("run", "Compare the recent traffic with the reference now", "flywheel monitor run churn",
                async (s, ct) =>
                {
                    s.Output.Write(await s.Client.Monitoring.RunAsync(s.Value(model), cancellationToken: ct), ReportTable);
                    return ExitCodes.Ok;
                }, model),
            build.Leaf("history", "The model's reports over time, newest first", "flywheel monitor history churn -o json",
                async (s, ct) =>
                {
                    var items = await s.Client.Monitoring.HistoryAsync(s.Value(model), cancellationToken: ct).ToListAsync(ct);
                    s.Output.WriteList(items, ("report", r => r.Id), ("when", r => r.Created), ("version", r => r.Version), ("verdict", r => r.Verdict), ("share", r => r.Share));
                    return ExitCodes.Ok;
                }, model));
    }

    private static IRenderable ReportTable(ModelMonitoringReport report) => new Spectre.Console.Rows(
        OutputWriter.Fields(("report", report.Id), ("model", $"{report.Model} v{report.Version}"), ("verdict", report.Verdict),
            ("notes", report.Notes)),
        DatasetsCommands.DriftTable(report.Inputs));
}
