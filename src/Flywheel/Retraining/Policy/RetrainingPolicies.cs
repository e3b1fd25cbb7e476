using System.Text.Json;
using Azure.Data.Tables;
using Flywheel.Contracts;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Registry;
using Flywheel.Contracts.Retraining;
using Flywheel.Datasets.Versions;
using Flywheel.Registry;
using Flywheel.Storage;
using Flywheel.Training;

namespace Flywheel.Retraining.Policy;

/// <summary>
/// Models' retraining policies. A policy lives on its model's head row, written under the row's ETag together with a
/// history entry (as aliases and deployments are), so a change is never lost or unrecorded; a refused policy changes nothing.
/// </summary>
public sealed class RetrainingPolicies(ModelCatalog catalog, TrainingSpecs specs, DatasetCatalog datasets, StorageClients storage, TimeProvider time)
{
    private const string Property = "Policy";
    private const string SinceProperty = "PolicySince";

    public async Task<RetrainingPolicy?> GetAsync(string model, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        return Read(await ledger.GetAsync(VersionLedger.HeadKey, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Checks <paramref name="policy"/> against the model as it is (a saved training request to rerun, the dataset its
    /// new-data trigger watches), then stores it.
    /// </summary>
    /// <returns>The policy as stored, every default filled in, and whether the model had none before.</returns>
    public async Task<(RetrainingPolicy Policy, bool Created)> SetAsync(string model, RetrainingPolicy policy, string? by, CancellationToken cancellationToken)
    {
        RetrainingPolicyChecks.Checked(policy);
        var ledger = await catalog.LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        if (await ledger.GetAsync(VersionLedger.HeadKey, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"Model '{model}' is not registered: register or train a version before giving it a policy.");
        }

        var training = await specs.GetAsync(model, cancellationToken).ConfigureAwait(false)
            ?? throw Invalid($"training: model '{model}' has no saved training request to rerun; PUT one to api/models/{model}/training first.");
        if (policy.Triggers?.NewData is { } newData && (newData.Dataset ?? training.Dataset) is var dataset
            && await datasets.LatestVersionAsync(dataset, cancellationToken).ConfigureAwait(false) is null)
        {
            throw Invalid($"triggers.newData.dataset: dataset '{dataset}' does not exist.");
        }

        var json = JsonSerializer.Serialize(policy, Json.Options);
        var now = time.GetUtcNow();
        var created = await ledger.UpdateAsync(head =>
        {
            var next = ledger.NextHead(head);
            next[Property] = json;
            next[SinceProperty] = now;
            next["Updated"] = now;
            var history = ModelCatalog.HistoryRow(HistoryAction.PolicySet, now, by, detail: json);
            return Task.FromResult(new LedgerChange<bool>(Read(head) is null, next, [ledger.AppendHistory(head, next, history)]));
        }, cancellationToken).ConfigureAwait(false);
        return (JsonSerializer.Deserialize<RetrainingPolicy>(json, Json.Options)!, created);
    }

    /// <summary>False when the model had no policy.</summary>
    public async Task<bool> DeleteAsync(string model, string? by, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(model, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return await ledger.UpdateAsync(head =>
        {
            if (Read(head) is null)
            {
                return Task.FromResult(new LedgerChange<bool>(false, null, []));
            }

            var next = ledger.NextHead(head);
            next[Property] = string.Empty;
            next["Updated"] = now;
            return Task.FromResult(new LedgerChange<bool>(true, next, [ledger.AppendHistory(head, next, ModelCatalog.HistoryRow(HistoryAction.PolicyRemoved, now, by))]));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every model with a policy, with its head row's summary (aliases, latest version) and when the policy was set.</summary>
    public async IAsyncEnumerable<PolicyEntry> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(StorageNames.ModelsTable, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {VersionLedger.HeadKey} and Policy gt {string.Empty}");
        await foreach (var head in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (Read(head) is { } policy)
            {
                yield return new PolicyEntry(ModelHead.From(head)!.Summary(), policy, head.GetDateTimeOffset(SinceProperty) ?? default);
            }
        }
    }

    private static RetrainingPolicy? Read(TableEntity? head) =>
        head?.GetString(Property) is { Length: > 0 } json ? JsonSerializer.Deserialize<RetrainingPolicy>(json, Json.Options) : null;

    private static FlywheelException Invalid(string message) => new(ErrorKind.InvalidInput, ProblemTypes.InvalidPolicy, $"The policy is not valid: {message}");
}

/// <summary>A model with its policy, and when the policy was set (a schedule's occurrences before then are not its).</summary>
public sealed record PolicyEntry(ModelSummary Model, RetrainingPolicy Policy, DateTimeOffset Since);
