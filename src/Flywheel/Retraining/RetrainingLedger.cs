using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Flywheel.Contracts.Retraining;
using Flywheel.Storage;

namespace Flywheel.Retraining;

/// <summary>
/// The <c>retrainings</c> table, one <see cref="VersionLedger"/> partition per model. Each retraining is a row keyed by
/// its pipeline id, written when its trigger fires (so a second event for the same fact finds it and adds nothing).
/// The head row is the model's claim: the retraining running now, when the last one finished (the cooldown), and the
/// deployment a canary replaced (what a rollback, a termination or a crash restores).
/// </summary>
public sealed class RetrainingLedger(StorageClients storage)
{
    private const string RecordPrefix = "r-";
    private const string Running = "Running";
    private const string LastFinished = "LastFinished";
    private const string RolloutId = "RolloutId";
    private const string Original = "Original";

    /// <summary>The most steps a record keeps (the first and the latest): about 700 bytes each, within a table property's 64 KiB.</summary>
    public const int MaxSteps = 40;

    /// <summary>Adds a retraining; false when one with its id exists (the same fact, seen again).</summary>
    public async Task<bool> AddAsync(RetrainingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(Entity(record), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<RetrainingRecord?> GetAsync(string model, string id, CancellationToken cancellationToken)
    {
        var ledger = await LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        return await ledger.GetAsync(RecordPrefix + id, cancellationToken).ConfigureAwait(false) is { } row ? Read(row) : null;
    }

    /// <summary>Rewrites a retraining under its row's ETag; false when there is none or <paramref name="change"/> returns null (nothing to write).</summary>
    public async Task<bool> UpdateAsync(string model, string id, Func<RetrainingRecord, RetrainingRecord?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var ledger = await LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        return await ledger.UpdateRowAsync(RecordPrefix + id, row =>
        {
            if (change(Read(row)) is not { } next)
            {
                return false;
            }

            Write(row, next);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds step number <paramref name="sequence"/> (0-based, as the workflow counts them) with the record's new state; a
    /// repeat of a step already added (an activity retried) changes nothing and returns false. The record keeps the first
    /// step and the latest <see cref="MaxSteps"/>, so a long canary's row stays within a table property's size.
    /// </summary>
    public async Task<bool> AppendStepAsync(string model, string id, int sequence, RetrainingStep step, Func<RetrainingRecord, RetrainingRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var ledger = await LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        return await ledger.UpdateRowAsync(RecordPrefix + id, row =>
        {
            if ((row.GetInt32("Noted") ?? 0) > sequence)
            {
                return false;
            }

            var record = change(Read(row));
            IReadOnlyList<RetrainingStep> steps = [.. record.Steps, step];
            if (steps.Count > MaxSteps)
            {
                steps = [steps[0], .. steps.Skip(steps.Count - MaxSteps + 1)];
            }

            Write(row, record with { Steps = steps });
            row["Noted"] = sequence + 1;
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A model's retrainings, newest first.</summary>
    public async Task<IReadOnlyList<RetrainingRecord>> ListAsync(string model, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {model} and RowKey ge {RecordPrefix} and RowKey lt {"r."}");
        var records = new List<RetrainingRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            records.Add(Read(row));
        }

        return [.. records.OrderByDescending(r => r.Created).ThenByDescending(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>Every model's retrainings that wait for the retraining timer.</summary>
    public async IAsyncEnumerable<RetrainingRecord> PendingAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"Status eq {WireNames.Of(RetrainingStatus.Pending)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return Read(row);
        }
    }

    /// <summary>
    /// Claims the model for retraining <paramref name="id"/>: refused (with why) while another one runs, or within
    /// <paramref name="cooldown"/> of the last one's end. A claim whose retraining has ended without releasing it (a crash,
    /// a termination) is taken over once <paramref name="ended"/> says so; the routes it left are restored first by the caller.
    /// </summary>
    /// <returns>Null when claimed; else why not.</returns>
    public async Task<string?> ClaimAsync(string model, string id, TimeSpan cooldown, DateTimeOffset now, Func<string, Task<bool>> ended, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        var ledger = await LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        return await ledger.UpdateAsync(async head =>
        {
            if (head?.GetString(Running) is { Length: > 0 } running && running != id && !await ended(running).ConfigureAwait(false))
            {
                return new LedgerChange<string?>($"retraining {running} is still running: one retraining at a time per model.", null, []);
            }

            if (head?.GetDateTimeOffset(LastFinished) is { } last && last + cooldown > now)
            {
                return new LedgerChange<string?>($"the cooldown after the last retraining lasts until {last + cooldown:u}.", null, []);
            }

            var next = ledger.NextHead(head);
            next[Running] = id;
            return new LedgerChange<string?>(null, next, []);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks <paramref name="check"/> done for <paramref name="period"/> (an hour's key, say); false when it was already,
    /// so a check that reads much (the prediction log) runs once per period whichever instance's timer ticks.
    /// </summary>
    public async Task<bool> MarkCheckedAsync(string model, string check, string period, CancellationToken cancellationToken)
    {
        var ledger = await LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        var property = $"Checked{check}";
        return await ledger.UpdateAsync(head =>
        {
            if (head?.GetString(property) == period)
            {
                return Task.FromResult(new LedgerChange<bool>(false, null, []));
            }

            var next = ledger.NextHead(head);
            next[property] = period;
            return Task.FromResult(new LedgerChange<bool>(true, next, []));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The retraining holding the model's claim, if any.</summary>
    public async Task<string?> RunningAsync(string model, CancellationToken cancellationToken)
    {
        var ledger = await LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        return (await ledger.GetAsync(VersionLedger.HeadKey, cancellationToken).ConfigureAwait(false))?.GetString(Running) is { Length: > 0 } id ? id : null;
    }

    /// <summary>Ends <paramref name="id"/>'s claim (a repeat, or another's claim, changes nothing) and starts the cooldown.</summary>
    public async Task ReleaseAsync(string model, string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ledger = await LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        await ledger.UpdateAsync(head =>
        {
            if (head?.GetString(Running) != id)
            {
                return Task.FromResult(new LedgerChange<bool>(false, null, []));
            }

            var next = ledger.NextHead(head);
            next[Running] = string.Empty;
            next[LastFinished] = now;
            return Task.FromResult(new LedgerChange<bool>(true, next, []));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Remembers the deployment <paramref name="id"/>'s canary replaces, once: the first traffic change records what the
    /// model had (null: no deployment), later ones keep it. Returns what is recorded.
    /// </summary>
    public async Task<RolloutOrigin> RememberOriginAsync(string model, string id, Deployment? current, CancellationToken cancellationToken)
    {
        var ledger = await LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        return await ledger.UpdateAsync(head =>
        {
            if (Origin(head) is { } known && known.Retraining == id)
            {
                return Task.FromResult(new LedgerChange<RolloutOrigin>(known, null, []));
            }

            var origin = new RolloutOrigin(id, current);
            var next = ledger.NextHead(head);
            next[RolloutId] = id;
            next[Original] = Registry.ModelHead.DeploymentJson(current);
            return Task.FromResult(new LedgerChange<RolloutOrigin>(origin, next, []));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The deployment an unfinished canary replaced; null when no canary has routes to restore.</summary>
    public async Task<RolloutOrigin?> OriginAsync(string model, CancellationToken cancellationToken)
    {
        var ledger = await LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        return Origin(await ledger.GetAsync(VersionLedger.HeadKey, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Forgets <paramref name="id"/>'s origin once its routes are final (promoted or restored).</summary>
    public async Task ForgetOriginAsync(string model, string id, CancellationToken cancellationToken)
    {
        var ledger = await LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        await ledger.UpdateAsync(head =>
        {
            if (Origin(head)?.Retraining != id)
            {
                return Task.FromResult(new LedgerChange<bool>(false, null, []));
            }

            var next = ledger.NextHead(head);
            next[RolloutId] = string.Empty;
            next[Original] = string.Empty;
            return Task.FromResult(new LedgerChange<bool>(true, next, []));
        }, cancellationToken).ConfigureAwait(false);
    }

    private static RolloutOrigin? Origin(TableEntity? head) =>
        head?.GetString(RolloutId) is { Length: > 0 } id
            ? new RolloutOrigin(id, head.GetString(Original) is { Length: > 0 } json ? JsonSerializer.Deserialize<Deployment>(json, Json.Options) : null)
            : null;

    private async Task<TableClient> TableAsync(CancellationToken cancellationToken) =>
        await storage.TableAsync(StorageNames.RetrainingsTable, cancellationToken).ConfigureAwait(false);

    private async Task<VersionLedger> LedgerAsync(string model, CancellationToken cancellationToken) =>
        new(await TableAsync(cancellationToken).ConfigureAwait(false), model);

    private static TableEntity Entity(RetrainingRecord record)
    {
        var row = new TableEntity(record.Model, RecordPrefix + record.Id);
        Write(row, record);
        return row;
    }

    private static void Write(TableEntity row, RetrainingRecord record)
    {
        row["Status"] = WireNames.Of(record.Status);
        row["Created"] = record.Created;
        row["Record"] = JsonSerializer.Serialize(record, Json.Options);
    }

    private static RetrainingRecord Read(TableEntity row) => JsonSerializer.Deserialize<RetrainingRecord>(row.GetString("Record")!, Json.Options)!;
}

/// <summary>The deployment a retraining's canary replaced (null: the model had none, so it served its champion).</summary>
public sealed record RolloutOrigin(string Retraining, Deployment? Deployment);
