using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Flywheel.Contracts;
using Flywheel.Contracts.Training;
using Flywheel.Storage;

namespace Flywheel.Training.Tracking;

/// <summary>
/// Runs in Table storage: one row per run, partitioned by model (a model's runs list in one
/// partition query), keyed by run id. Writes are upserts of the whole run, so a retried trial
/// activity leaves one row with its last outcome.
/// </summary>
public sealed class RunStore(StorageClients storage)
{
    public async Task SaveAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var table = await storage.TableAsync(StorageNames.RunsTable, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(run), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A model's run, by a point read; null when there is none.</summary>
    public async Task<RunRecord?> GetAsync(string model, string runId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(StorageNames.RunsTable, cancellationToken).ConfigureAwait(false);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(model, runId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? FromEntity(entity.Value!) : null;
    }

    /// <summary>The run; null when there is none. Run ids are unique across models, so a caller without the model reads by row key (a scan).</summary>
    public async Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(StorageNames.RunsTable, cancellationToken).ConfigureAwait(false);
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {runId}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return FromEntity(entity);
        }

        return null;
    }

    /// <summary>Every run of <paramref name="model"/> (every model when null), of one pipeline when <paramref name="pipelineId"/> is given.</summary>
    public async IAsyncEnumerable<RunRecord> ListAsync(string? model, string? pipelineId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(StorageNames.RunsTable, cancellationToken).ConfigureAwait(false);
        var filters = new List<string>();
        if (model is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {model}"));
        }

        if (pipelineId is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PipelineId eq {pipelineId}"));
        }

        var filter = filters.Count == 0 ? null : string.Join(" and ", filters);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return FromEntity(entity);
        }
    }

    private static TableEntity ToEntity(RunRecord run) => new(run.Model, run.RunId)
    {
        ["PipelineId"] = run.PipelineId,
        ["Trial"] = run.Trial,
        ["Rung"] = run.Rung,
        ["Trainer"] = run.Trainer,
        ["Params"] = JsonSerializer.Serialize(run.Params, Json.Options),
        ["Metrics"] = JsonSerializer.Serialize(run.Metrics, Json.Options),
        ["Status"] = WireNames.Of(run.Status),
        ["Dataset"] = run.Dataset,
        ["DatasetVersion"] = run.DatasetVersion,
        ["DatasetSha256"] = run.DatasetSha256,
        ["Seed"] = run.Seed,
        ["StartTime"] = run.StartTime,
        ["EndTime"] = run.EndTime,
        ["DurationMs"] = run.DurationMs,
        ["Error"] = run.Error,
        ["ModelVersion"] = run.ModelVersion,
        ["FitMs"] = run.FitMs,
        ["SkippedFeatures"] = run.SkippedFeatures is { Count: > 0 } skipped ? JsonSerializer.Serialize(skipped, Json.Options) : null,
    };

    private static RunRecord FromEntity(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString("PipelineId"),
        entity.PartitionKey,
        entity.GetInt32("Trial") ?? 0,
        entity.GetInt32("Rung") ?? 0,
        entity.GetString("Trainer"),
        JsonSerializer.Deserialize<Dictionary<string, double>>(entity.GetString("Params") ?? "{}", Json.Options)!,
        JsonSerializer.Deserialize<Dictionary<string, double>>(entity.GetString("Metrics") ?? "{}", Json.Options)!,
        WireNames.Parse<RunStatus>(entity.GetString("Status")),
        entity.GetString("Dataset"),
        entity.GetInt32("DatasetVersion") ?? 0,
        entity.GetString("DatasetSha256"),
        entity.GetInt32("Seed") ?? 0,
        entity.GetDateTimeOffset("StartTime") ?? DateTimeOffset.MinValue,
        entity.GetDateTimeOffset("EndTime"),
        entity.GetDouble("DurationMs"),
        entity.GetString("Error"),
        entity.GetInt32("ModelVersion"),
        entity.GetDouble("FitMs"),
        entity.GetString("SkippedFeatures") is { } skipped ? JsonSerializer.Deserialize<Dictionary<string, string>>(skipped, Json.Options) : null);
}
