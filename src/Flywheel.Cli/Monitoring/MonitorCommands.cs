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
                    if (await LatestAsync(s, s.Value(model), ct) is not { } report)
                    {
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
                }, model),
            Report(build, model));
    }

    private static Command Report(CommandBuilder build, Argument<string> model)
    {
        var id = new Argument<string?>("id") { Description = "The report's id [default: the latest]", Arity = ArgumentArity.ZeroOrOne };
        var open = new Option<bool>("--open") { Description = "Open the HTML report in $BROWSER or with xdg-open" };
        return build.Leaf("report", "Save a report's HTML page and print its path (the report's JSON with -o json); --open opens it in a browser",
            "flywheel monitor report churn --open",
            async (s, ct) =>
            {
                var name = s.Value(model);
                ModelMonitoringReport? report = s.Value(id) is { } given ? await s.Client.Monitoring.GetReportAsync(name, given, ct) : await LatestAsync(s, name, ct);
                if (report is null)
                {
                    return ExitCodes.NotFound;
                }

                if (!s.Value(open) && s.Output.Format == OutputFormat.Json)
                {
                    s.Output.Write(report, ReportTable);
                    return ExitCodes.Ok;
                }

                // A directory of its own, made for this process: a name in the shared temp folder could be a link someone planted.
                var file = Path.Combine(Directory.CreateTempSubdirectory("flywheel-").FullName, $"{name}-{report.Id}.html");
                await File.WriteAllTextAsync(file, await s.Client.Monitoring.GetReportHtmlAsync(name, report.Id, ct), ct);
                if (s.Value(open) && Browser.Open(s, file) is { } browser)
                {
                    s.Output.Note($"Opened {file} with {browser}.");
                    return ExitCodes.Ok;
                }

                if (s.Value(open))
                {
                    await s.Error.WriteLineAsync("No browser to open it with: set BROWSER, or install xdg-open. The report is saved at the path below.");
                }

                // The path alone on stdout, so 'xdg-open "$(flywheel monitor report churn -o table)"' and the like work.
                s.Output.Text(file);
                return ExitCodes.Ok;
            }, model, id, open);
    }

    /// <summary>The model's latest report; null after saying on stderr how to make one (the caller exits 3).</summary>
    private static async Task<ModelMonitoringReport?> LatestAsync(CliSession s, string model, CancellationToken ct)
    {
        if (await s.Client.Monitoring.GetLatestAsync(model, ct) is { } report)
        {
            return report;
        }

        await s.Error.WriteLineAsync($"error: model '{model}' has no monitoring report yet; run 'flywheel monitor run {model}'.");
        return null;
    }

    private static IRenderable ReportTable(ModelMonitoringReport report) => new Spectre.Console.Rows(
        OutputWriter.Fields(("report", report.Id), ("model", $"{report.Model} v{report.Version}"), ("verdict", report.Verdict),
            ("notes", report.Notes)),
        DatasetsCommands.DriftTable(report.Inputs));
}
