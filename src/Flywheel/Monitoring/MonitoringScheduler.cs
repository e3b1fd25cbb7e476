using Flywheel.Contracts;
using Flywheel.Contracts.Monitoring;
using Flywheel.Contracts.Registry;
using Flywheel.Monitoring.Models;
using Flywheel.Pipelines;
using Flywheel.Pipelines.Monitoring;
using Flywheel.Registry;
using Flywheel.Serving.Routing;
using Flywheel.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flywheel.Monitoring;

/// <summary>
/// What the monitoring timer does on each tick, on both hosts: for every model that has a reference
/// (settings or lineage) and is not switched off, the window its own schedule is due for ends at that
/// schedule's latest occurrence; the run's instance id is the model and that end, so a run that
/// exists already (a second tick, another instance's timer) is left alone.
/// </summary>
public sealed partial class MonitoringScheduler(
    ModelRegistry registry, MonitoringSettingsStore settings, PredictionLogReader log, IOptions<MonitoringOptions> options, IOptions<PipelineOptions> pipelines,
    TimeProvider time, ILogger<MonitoringScheduler> logger)
{
    public static string InstanceId(string model, DateTimeOffset windowEnd, int? version = null) => $"monitor-{model}-{ReportId(windowEnd, version)}";

    /// <summary>The window's end; a version other than the model's default gets its own report beside the headline one.</summary>
    public static string ReportId(DateTimeOffset windowEnd, int? version = null) =>
        CompactTime.Format(windowEnd) + (version is { } v ? $"-v{v}" : string.Empty);

    /// <returns>The instance ids started on this tick.</returns>
    public async Task<IReadOnlyList<string>> TickAsync(IPipelineClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = time.GetUtcNow();
        var started = new List<string>();
        string? token = null;
        do
        {
            var page = await registry.ListAsync(token, 100, cancellationToken).ConfigureAwait(false);
            foreach (var model in page.Items)
            {
                try
                {
                    started.AddRange(await StartDueAsync(client, model, now, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One model's bad settings, or a start another instance's timer won, never keeps the other models from their runs.
                    LogStartFailed(logger, ex, model.Name);
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        return started;
    }

    /// <summary>
    /// Starts the due window's runs: the headline one for the model's default version (the champion,
    /// else the latest) and one for every other version that answered live requests in the window
    /// (a deployment's routes, a canary), so what serves is what is watched.
    /// </summary>
    /// <returns>The instances started; none when the model is not due or its runs for the window exist.</returns>
    private async Task<IReadOnlyList<string>> StartDueAsync(IPipelineClient client, ModelSummary model, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await DueAsync(model, now, cancellationToken).ConfigureAwait(false) is not { } end)
        {
            return [];
        }

        var id = InstanceId(model.Name, end);
        if (await client.GetAsync(id, cancellationToken).ConfigureAwait(false) is not null)
        {
            return [];
        }

        var started = new List<string>();
        await StartAsync(client, model.Name, end, null, id, cancellationToken).ConfigureAwait(false);
        started.Add(id);
        var saved = await settings.GetAsync(model.Name, cancellationToken).ConfigureAwait(false) ?? new MonitoringSettings();
        var headline = ServingTarget.ChampionOrLatest(model.Aliases, model.LatestVersion);
        foreach (var serving in await log.TrafficAsync(model.Name, end - saved.WindowOr(options.Value.Window), end, cancellationToken).ConfigureAwait(false))
        {
            var versionId = InstanceId(model.Name, end, serving.Version);
            if (serving.Version != headline && await client.GetAsync(versionId, cancellationToken).ConfigureAwait(false) is null)
            {
                await StartAsync(client, model.Name, end, serving.Version, versionId, cancellationToken).ConfigureAwait(false);
                started.Add(versionId);
            }
        }

        return started;
    }

    private async Task StartAsync(IPipelineClient client, string model, DateTimeOffset end, int? version, string id, CancellationToken cancellationToken)
    {
        await client.StartAsync(PipelineTasks.ModelMonitoring, id,
            new MonitoringStart(model, end, ReportId(end, version), options.Value.FeatureGroupSize, pipelines.Value.ActivityAttempts, version), cancellationToken).ConfigureAwait(false);
        LogStarted(logger, model, id);
    }

    /// <summary>The window end the model is due for; null when it is not monitored (switched off, or nothing to compare with).</summary>
    private async Task<DateTimeOffset?> DueAsync(ModelSummary model, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var saved = await settings.GetAsync(model.Name, cancellationToken).ConfigureAwait(false);
        if (saved is { Enabled: false })
        {
            return null;
        }

        if (saved?.Reference is null)
        {
            var serving = ServingTarget.ChampionOrLatest(model.Aliases, model.LatestVersion);
            var version = await registry.GetAsync(model.Name, VersionReference.Of(serving), cancellationToken).ConfigureAwait(false);
            if (version?.Dataset is null)
            {
                return null;
            }
        }

        var schedule = MonitoringSchedule.TryParse(saved?.Schedule ?? options.Value.Schedule);
        return schedule is null ? null : MonitoringSchedule.Latest(schedule, now);
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Monitoring {Model}: started {InstanceId}")]
    private static partial void LogStarted(ILogger logger, string model, string instanceId);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Monitoring {Model}: its run could not be started this tick")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string model);
}
