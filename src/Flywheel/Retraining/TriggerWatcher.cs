using System.Globalization;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Monitoring;
using Flywheel.Contracts.Retraining;
using Flywheel.Datasets.Versions;
using Flywheel.Monitoring;
using Flywheel.Monitoring.Reports;
using Flywheel.Registry;
using Flywheel.Retraining.Policy;
using Flywheel.Serving.Routing;
using Flywheel.Storage;
using Flywheel.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flywheel.Retraining;

/// <summary>
/// Decides, where each fact is known, whether it fires a model's retraining trigger: a committed dataset version (new
/// data), a stored monitoring report (drift), the retraining timer (a policy's schedule). A trigger that fires becomes a
/// pending retraining whose id is the fact's, so a second event for the same fact adds nothing; the retraining timer
/// starts it (<see cref="RetrainingStarter"/>). A failure here is logged and never fails the upload or the report.
/// </summary>
public sealed partial class TriggerWatcher(
    RetrainingPolicies policies, RetrainingLedger ledger, TrainingSpecs specs, ModelRegistry registry, DatasetCatalog datasets, IServiceProvider services,
    TimeProvider time, ILogger<TriggerWatcher> logger) : IDatasetVersionObserver, IMonitoringReportObserver
{
    /// <summary>The pipeline id of the retraining a fact starts: the model and the fact, so the same fact names the same retraining.</summary>
    public static string InstanceId(string model, string key) => $"retrain-{model}-{key}";

    public async Task VersionCreatedAsync(DatasetVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        try
        {
            await foreach (var entry in policies.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                if (entry.Policy.Triggers?.NewData is not { } rule)
                {
                    continue;
                }

                var dataset = rule.Dataset ?? (await specs.GetAsync(entry.Model.Name, cancellationToken).ConfigureAwait(false))?.Dataset;
                if (dataset != version.Dataset)
                {
                    continue;
                }

                var champion = ServingTarget.ChampionOrLatest(entry.Model.Aliases, entry.Model.LatestVersion);
                var trainedOn = (await registry.GetAsync(entry.Model.Name, VersionReference.Of(champion), cancellationToken).ConfigureAwait(false))?.Dataset;
                var baseRows = trainedOn is { } used && used.Name == dataset
                    ? (await datasets.GetAsync(dataset, used.Version, cancellationToken).ConfigureAwait(false))?.Rows ?? 0
                    : 0;
                var added = version.Rows - baseRows;
                var basis = trainedOn is { } t && t.Name == dataset ? $"version {t.Version} ({baseRows:N0} rows), which the champion (version {champion}) was trained on" : "no version the champion was trained on";
                if (added < rule.MinNewRows)
                {
                    LogNotEnoughRows(logger, entry.Model.Name, dataset, version.Version, added, rule.MinNewRows);
                    continue;
                }

                await FireAsync(entry.Model.Name, new RetrainingTrigger(TriggerKind.NewData, $"data-{dataset}-v{version.Version}",
                    $"new data: dataset {dataset} version {version.Version} has {version.Rows:N0} rows, {added:N0} more than {basis} (at least {rule.MinNewRows:N0} asked)",
                    new Dictionary<string, string>
                    {
                        ["dataset"] = dataset,
                        ["version"] = Text(version.Version),
                        ["rows"] = Text(version.Rows),
                        ["newRows"] = Text(added),
                        ["champion"] = Text(champion),
                    }, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTriggerFailed(logger, ex, $"dataset {version.Dataset} version {version.Version}");
        }
    }

    public async Task ReportSavedAsync(ModelMonitoringReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!report.Headline || report.Verdict == DriftVerdict.NotEnoughData)
        {
            return;
        }

        try
        {
            if ((await policies.GetAsync(report.Model, cancellationToken).ConfigureAwait(false))?.Triggers?.Drift is not { } rule || report.Inputs.Share < rule.MinShare)
            {
                return;
            }

            if (rule.Consecutive > 1)
            {
                // Resolved here, not injected: the reports tell this class of each report they store.
                var reports = services.GetRequiredService<MonitoringReports>();
                var history = await reports.HistoryAsync(report.Model, null, null, null, 100, cancellationToken).ConfigureAwait(false);
                var recent = history.Items.Where(r => r.Headline && r.Verdict != DriftVerdict.NotEnoughData).OrderByDescending(r => r.To).Take(rule.Consecutive).ToList();
                if (recent.Count < rule.Consecutive || recent[0].Id != report.Id || recent.Any(r => r.Share < rule.MinShare))
                {
                    return;
                }
            }

            var drifted = report.Inputs.ColumnResults.Where(c => c.Drifted).Select(c => c.Column).ToList();
            await FireAsync(report.Model, new RetrainingTrigger(TriggerKind.Drift, $"drift-{report.Id}",
                $"drift: monitoring report {report.Id} found {report.Inputs.DriftedColumns} of {report.Inputs.Columns} input columns drifted ({report.Inputs.Share:P0}; at least {rule.MinShare:P0} on {rule.Consecutive} report(s) in a row asked)",
                new Dictionary<string, string>
                {
                    ["report"] = report.Id,
                    ["share"] = report.Inputs.Share.ToString("R", CultureInfo.InvariantCulture),
                    ["driftedColumns"] = string.Join(",", drifted.Take(50)),
                    ["version"] = Text(report.Version),
                }, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTriggerFailed(logger, ex, $"monitoring report {report.Id} of {report.Model}");
        }
    }

    /// <summary>Fires each policy's schedule once per occurrence since the policy was set; the retraining timer calls it on each tick.</summary>
    public async Task CheckSchedulesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await foreach (var entry in policies.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (entry.Policy.Triggers?.Schedule is not { } text || MonitoringSchedule.TryParse(text) is not { } schedule
                || MonitoringSchedule.Latest(schedule, now) is not { } occurrence || occurrence <= entry.Since)
            {
                continue;
            }

            var at = CompactTime.Format(occurrence);
            await FireAsync(entry.Model.Name, new RetrainingTrigger(TriggerKind.Schedule, $"schedule-{at}", $"schedule: the policy's schedule '{text}' fell due at {occurrence:u}",
                new Dictionary<string, string> { ["schedule"] = text, ["occurrence"] = at }, now), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records the trigger as a pending retraining; false when the same fact fired it already.</summary>
    public async Task<bool> FireAsync(string model, RetrainingTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var id = InstanceId(model, trigger.Key);
        var added = await ledger.AddAsync(new RetrainingRecord(id, model, trigger, RetrainingStatus.Pending, trigger.At, null, null, null, null, []), cancellationToken).ConfigureAwait(false);
        if (added)
        {
            LogFired(logger, model, id, trigger.Reason);
        }

        return added;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Retraining of {Model}: {Id} fired by {Reason}")]
    private static partial void LogFired(ILogger logger, string model, string id, string reason);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Retraining of {Model}: dataset {Dataset} version {Version} adds {Rows} rows, fewer than the {MinRows} its policy asks")]
    private static partial void LogNotEnoughRows(ILogger logger, string model, string dataset, int version, long rows, long minRows);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Retraining triggers could not be checked for {Fact}")]
    private static partial void LogTriggerFailed(ILogger logger, Exception exception, string fact);
}
