using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Flywheel.Contracts;
using Flywheel.Contracts.Monitoring;
using Flywheel.Events;
using Flywheel.Storage;

namespace Flywheel.Monitoring.Reports;

/// <summary>
/// Stored monitoring reports: JSON and HTML in <c>reports/monitoring/{model}/{id}.json|.html</c>, a
/// row per report in the monitoring table (partition = model, newest window first), the drift
/// gauges, and <see cref="EventTypes.DriftDetected"/> when a model's verdict turns to drift. Saving
/// the same report id again overwrites it, so a replayed run leaves one report.
/// </summary>
public sealed class MonitoringReports(StorageClients storage, DriftMetrics metrics, EventPublisher events, IEnumerable<IMonitoringReportObserver> observers)
{
    public async Task SaveAsync(ModelMonitoringReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var container = await storage.ContainerAsync(StorageNames.ReportsContainer, cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient(Path(report.Model, report.Id, "json")).UploadAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(report, Json.Options)), overwrite: true, cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient(Path(report.Model, report.Id, "html")).UploadAsync(BinaryData.FromString(DriftReportPage.Render(report)), overwrite: true, cancellationToken).ConfigureAwait(false);

        var table = await storage.TableAsync(StorageNames.MonitoringTable, cancellationToken).ConfigureAwait(false);
        var key = RowKey(report.Inputs.Current.To!.Value, report.Id);
        var previous = await PreviousAsync(table, report.Model, report.Version, key, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(report, key), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);

        if (report.Verdict != DriftVerdict.NotEnoughData)
        {
            var subject = $"model:{report.Model}";
            metrics.Checked(subject, report.Inputs.Share);
            foreach (var column in report.Inputs.ColumnResults.Concat(report.Prediction))
            {
                metrics.Measured(subject, column.Column, column.Method, column.Score, column.Drifted);
            }
        }

        if (report.Drifted && previous?.Verdict != DriftVerdict.Drift)
        {
            await events.PublishAsync(EventTypes.DriftDetected, $"models/{report.Model}/drift/reports/{report.Id}",
                new DriftDetectedEvent(report.Model, report.Version, report.Id, report.Inputs.Current.From!.Value, report.Inputs.Current.To!.Value, report.Inputs.Share,
                    [.. report.Inputs.ColumnResults.Concat(report.Prediction).Where(c => c.Drifted).Select(c => c.Column)], previous?.Verdict), cancellationToken).ConfigureAwait(false);
        }

        foreach (var observer in observers)
        {
            await observer.ReportSavedAsync(report, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The newest headline report (the model's default version's) by window end; null when the model has none.</summary>
    public async Task<ModelMonitoringReport?> LatestAsync(string model, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(StorageNames.MonitoringTable, cancellationToken).ConfigureAwait(false);
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {model}"), 20, ["Id", "Headline"], cancellationToken).ConfigureAwait(false))
        {
            if (entity.GetBoolean("Headline") != false)
            {
                return await GetAsync(model, entity.GetString("Id"), cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    /// <summary>A page of summaries, newest window first, optionally only windows ending within [from, to].</summary>
    public async Task<ListPage<MonitoringSummary>> HistoryAsync(string model, DateTimeOffset? from, DateTimeOffset? to, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(StorageNames.MonitoringTable, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {model}");
        if (to is { } end)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {Inverted(end)}");
        }

        if (from is { } start)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {Inverted(start.AddTicks(-1))}");
        }

        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize).ConfigureAwait(false))
        {
            return new ListPage<MonitoringSummary>([.. page.Values.Select(FromEntity)], page.ContinuationToken);
        }

        return new ListPage<MonitoringSummary>([], null);
    }

    public async Task<ModelMonitoringReport?> GetAsync(string model, string id, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(StorageNames.ReportsContainer, cancellationToken).ConfigureAwait(false);
        return await BlobJson.ReadAsync<ModelMonitoringReport>(container.GetBlobClient(Path(model, id, "json")), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored HTML page; null when there is no such report.</summary>
    public async Task<string?> GetHtmlAsync(string model, string id, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(StorageNames.ReportsContainer, cancellationToken).ConfigureAwait(false);
        try
        {
            return (await container.GetBlobClient(Path(model, id, "html")).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private static string Path(string model, string id, string extension) => $"monitoring/{model}/{id}.{extension}";

    // Newest window first: the row key starts with the window end's ticks counted down from the maximum.
    private static string Inverted(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    private static string RowKey(DateTimeOffset to, string id) => $"{Inverted(to)}_{id}";

    /// <summary>The same version's report before this one, so a drift event fires when that version's verdict turns.</summary>
    private static async Task<MonitoringSummary?> PreviousAsync(TableClient table, string model, int version, string key, CancellationToken cancellationToken)
    {
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {model} and RowKey gt {key} and Version eq {version}"), 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return FromEntity(entity);
        }

        return null;
    }

    private static TableEntity ToEntity(ModelMonitoringReport report, string key) => new(report.Model, key)
    {
        ["Id"] = report.Id,
        ["Version"] = report.Version,
        ["Trigger"] = WireNames.Of(report.Trigger),
        ["From"] = report.Inputs.Current.From,
        ["To"] = report.Inputs.Current.To,
        ["Created"] = report.Created,
        ["Verdict"] = WireNames.Of(report.Verdict),
        ["Rows"] = report.Inputs.Current.Rows,
        ["Columns"] = report.Inputs.Columns,
        ["DriftedColumns"] = report.Inputs.DriftedColumns,
        ["Share"] = report.Inputs.Share,
        ["PredictionDrift"] = report.Prediction.Any(p => p.Drifted),
        ["QualityIssues"] = report.Quality.Sum(q => q.Issues.Count),
        ["Headline"] = report.Headline,
        ["TrafficShare"] = report.Traffic?.FirstOrDefault(t => t.Version == report.Version)?.Share,
    };

    private static MonitoringSummary FromEntity(TableEntity e) => new(
        e.GetString("Id"), e.PartitionKey, e.GetInt32("Version") ?? 0, WireNames.Parse<MonitoringTrigger>(e.GetString("Trigger")), e.GetDateTimeOffset("From") ?? default, e.GetDateTimeOffset("To") ?? default,
        e.GetDateTimeOffset("Created") ?? default, WireNames.Parse<DriftVerdict>(e.GetString("Verdict")), e.GetInt64("Rows") ?? 0, e.GetInt32("Columns") ?? 0, e.GetInt32("DriftedColumns") ?? 0,
        e.GetDouble("Share") ?? 0, e.GetBoolean("PredictionDrift") ?? false, e.GetInt32("QualityIssues") ?? 0, e.GetBoolean("Headline") ?? true, e.GetDouble("TrafficShare"));
}
