using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Registry;
using Flywheel.Datasets.Versions;
using Flywheel.Events;
using Flywheel.Onnx;
using Flywheel.Storage;

namespace Flywheel.Registry;

/// <summary>
/// The model registry: versions of ONNX models with aliases, annotations, lineage and an audit
/// history. Registration proves the bytes load in ONNX Runtime before anything is stored, stores the
/// artifact content-addressed, and commits the version last.
/// </summary>
public sealed class ModelRegistry(ModelCatalog catalog, ModelBlobs blobs, DatasetCatalog datasets, EventPublisher events, TimeProvider time)
{
    /// <summary>
    /// Raised with the model's name after a change to what serves it (a new version, an alias, an
    /// archive, the deployment), so caches on this instance can drop what they hold at once.
    /// </summary>
    public event Action<string>? Changed;

    public async Task<(ModelVersion Version, bool Created)> RegisterAsync(
        string name, byte[] model, ModelRegistration registration, string? by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(registration);
        AnnotationLimits.Check(registration.Description, registration.Tags, registration.Metrics, registration.FeatureNames, registration.RunId);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(model));
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        if (await ExistingAsync(ledger, sha256, cancellationToken).ConfigureAwait(false) is { } known)
        {
            return ((await GetAsync(name, Number(known.Version), cancellationToken).ConfigureAwait(false))!, false);
        }

        var signature = OnnxModelInspector.Inspect(model);
        CheckFeatureNames(signature, registration.FeatureNames);
        await blobs.WriteAsync(name, sha256, model, signature, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var (version, created) = await ledger.UpdateAsync(async head =>
        {
            if (await ExistingAsync(ledger, sha256, cancellationToken).ConfigureAwait(false) is { } raced)
            {
                return new LedgerChange<(ModelVersion, bool)>((raced, false), null, []);
            }

            var current = ModelHead.From(head) ?? ModelHead.New(name);
            var number = current.Latest + 1;
            var draft = new ModelVersion
            {
                Model = name,
                Version = number,
                Sha256 = sha256,
                SizeBytes = model.LongLength,
                Created = now,
                CreatedBy = by,
                Description = registration.Description,
                Tags = registration.Tags ?? new Dictionary<string, string>(),
                Metrics = registration.Metrics ?? new Dictionary<string, double>(),
                Dataset = registration.Dataset,
                RunId = registration.RunId,
                FeatureNames = registration.FeatureNames,
                Training = registration.Training,
                ContentPath = $"{StorageNames.ModelsContainer}/{ModelBlobs.ContentPath(name, sha256)}",
                Signature = signature,
            };
            var next = (current with { Latest = number, Created = current.Created ?? now, Updated = now }).ToEntity(ledger, head);
            return new LedgerChange<(ModelVersion, bool)>((draft, true), next,
            [
                new(TableTransactionActionType.Add, ModelCatalog.ToEntity(name, draft)),
                new(TableTransactionActionType.Add, new TableEntity(name, VersionLedger.HashKey(sha256)) { ["Version"] = number }),
                ledger.AppendHistory(head, next, ModelCatalog.HistoryRow(HistoryAction.VersionCreated, now, by, version: number)),
            ]);
        }, cancellationToken).ConfigureAwait(false);

        if (!created)
        {
            return ((await GetAsync(name, Number(version.Version), cancellationToken).ConfigureAwait(false))!, false);
        }

        Changed?.Invoke(name);
        if (registration.Dataset is { } dataset)
        {
            await datasets.LinkModelAsync(dataset.Name, dataset.Version, new ModelLink(name, version.Version), cancellationToken).ConfigureAwait(false);
        }

        await events.PublishAsync(EventTypes.ModelRegistered, $"models/{name}/versions/{version.Version}",
            new { model = name, version = version.Version, version.Sha256, version.Dataset, version.RunId }, cancellationToken).ConfigureAwait(false);
        return (version, true);
    }

    /// <summary>
    /// The version number a pinned request means: a number as it is (serving checks it exists when it
    /// loads it, so the hot path reads nothing here), <c>latest</c> or an alias from the model's head row.
    /// </summary>
    /// <exception cref="RegistryConflictException">404: no such model, or no such alias.</exception>
    public async Task<int> PinAsync(string name, VersionReference version, CancellationToken cancellationToken)
    {
        if (version.Number is { } number)
        {
            return number;
        }

        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var head = ModelHead.From(await ledger.GetAsync(VersionLedger.HeadKey, cancellationToken).ConfigureAwait(false));
        return head?.Resolve(version)
            ?? throw new RegistryConflictException(head is null ? $"Model '{name}' is not registered." : $"Model '{name}' has no version '{version}'.", notFound: true);
    }

    /// <summary>A version by number, <c>latest</c> or an alias; null when there is none.</summary>
    public async Task<ModelVersion?> GetAsync(string name, VersionReference version, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var head = ModelHead.From(await ledger.GetAsync(VersionLedger.HeadKey, cancellationToken).ConfigureAwait(false));
        if (head?.Resolve(version) is not { } number)
        {
            return null;
        }

        var row = await ledger.GetAsync(VersionLedger.VersionKey(number), cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var found = ModelCatalog.FromEntity(row, head.Aliases);
        return found with { Signature = await blobs.ReadSignatureAsync(name, found.Sha256, cancellationToken).ConfigureAwait(false) };
    }

    public async Task<ModelDetails?> GetModelAsync(string name, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        if (ModelHead.From(await ledger.GetAsync(VersionLedger.HeadKey, cancellationToken).ConfigureAwait(false)) is not { } head)
        {
            return null;
        }

        var aliases = head.Aliases;
        var page = await ledger.ListAsync("v", "w", continuationToken, pageSize, cancellationToken).ConfigureAwait(false);
        var summary = head.Summary();
        return new ModelDetails(name, summary.LatestVersion, aliases, summary.Created, summary.Updated,
            [.. page.Items.Select(row => ModelCatalog.FromEntity(row, aliases))], page.ContinuationToken);
    }

    public async Task<ModelVersion?> UpdateAsync(string name, int version, string? description, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        AnnotationLimits.Check(description, tags);
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var updated = await ledger.UpdateRowAsync(VersionLedger.VersionKey(version), row =>
        {
            if (description is not null)
            {
                row["Description"] = description;
            }

            if (tags is not null)
            {
                row["Tags"] = JsonSerializer.Serialize(tags, Json.Options);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
        return updated ? await GetAsync(name, Number(version), cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>Archives a version; refused while an alias points to it.</summary>
    public async Task<ModelVersion> ArchiveAsync(string name, int version, string? by, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await ledger.UpdateAsync(async head =>
        {
            var row = await ledger.GetAsync(VersionLedger.VersionKey(version), cancellationToken).ConfigureAwait(false)
                ?? throw new RegistryConflictException($"Model '{name}' has no version {version}.", notFound: true);
            if (row.GetBoolean("Archived") == true)
            {
                return new LedgerChange<bool>(false, null, []);
            }

            var current = ModelHead.From(head) ?? ModelHead.New(name);
            var pointing = current.Aliases.Where(a => a.Value == version).Select(a => a.Key).ToList();
            if (pointing.Count > 0)
            {
                throw new RegistryConflictException($"Version {version} of '{name}' is still the target of alias(es) {string.Join(", ", pointing)}: move or delete them first.");
            }

            if (current.Deployment is { } deployment && deployment.Resolve(current.Latest, current.Aliases).Versions.Contains(version))
            {
                throw new RegistryConflictException($"Version {version} of '{name}' still receives traffic from the model's deployment: change the deployment first.");
            }

            row["Archived"] = true;
            row["ArchivedAt"] = now;
            var next = (current with { Updated = now, Archived = new HashSet<int>(current.Archived) { version } }).ToEntity(ledger, head);
            return new LedgerChange<bool>(true, next,
            [
                new(TableTransactionActionType.UpdateReplace, row, row.ETag),
                ledger.AppendHistory(head, next, ModelCatalog.HistoryRow(HistoryAction.VersionArchived, now, by, version: version)),
            ]);
        }, cancellationToken).ConfigureAwait(false);
        Changed?.Invoke(name);
        return (await GetAsync(name, Number(version), cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/> (which must exist and not be archived).</summary>
    public async Task<HistoryEntry> SetAliasAsync(string name, string alias, int version, string? by, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var entry = await ledger.UpdateAsync(async head =>
        {
            var row = head is null ? null : await ledger.GetAsync(VersionLedger.VersionKey(version), cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                throw new RegistryConflictException($"Model '{name}' has no version {version}.", notFound: true);
            }

            if (row.GetBoolean("Archived") == true)
            {
                throw new RegistryConflictException($"Version {version} of '{name}' is archived: an alias cannot point to it.");
            }

            var current = ModelHead.From(head)!;
            var aliases = new Dictionary<string, int>(current.Aliases);
            int? from = aliases.TryGetValue(alias, out var previous) ? previous : null;
            if (from is null && aliases.Count >= AnnotationLimits.MaxAliases)
            {
                throw AnnotationLimits.Exceeded($"'{name}' has {aliases.Count} aliases, the limit; delete one first.");
            }

            aliases[alias] = version;
            return AliasChange(ledger, head, current with { Aliases = aliases, Updated = now }, ModelCatalog.HistoryRow(HistoryAction.AliasSet, now, by, alias, from, version));
        }, cancellationToken).ConfigureAwait(false);
        Changed?.Invoke(name);
        await PublishAliasChangedAsync(name, entry, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    public async Task<HistoryEntry?> DeleteAliasAsync(string name, string alias, string? by, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var entry = await ledger.UpdateAsync(head =>
        {
            var current = ModelHead.From(head) ?? ModelHead.New(name);
            var aliases = new Dictionary<string, int>(current.Aliases);
            if (!aliases.Remove(alias, out var previous))
            {
                return Task.FromResult(new LedgerChange<HistoryEntry?>(null, null, []));
            }

            if (current.Deployment is { } deployment && deployment.Aliases.Contains(alias, StringComparer.Ordinal))
            {
                throw new RegistryConflictException($"The deployment of '{name}' routes traffic to alias '{alias}': change or delete the deployment first.");
            }

            var change = AliasChange(ledger, head, current with { Aliases = aliases, Updated = now }, ModelCatalog.HistoryRow(HistoryAction.AliasDeleted, now, by, alias, previous, null));
            return Task.FromResult(new LedgerChange<HistoryEntry?>(change.Result, change.Head, change.Rows));
        }, cancellationToken).ConfigureAwait(false);
        if (entry is not null)
        {
            Changed?.Invoke(name);
            await PublishAliasChangedAsync(name, entry, cancellationToken).ConfigureAwait(false);
        }

        return entry;
    }

    /// <summary>The model's deployment as declared; null when it has none (it serves its champion, else its latest version).</summary>
    public async Task<Deployment?> GetDeploymentAsync(string name, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        return ModelHead.From(await ledger.GetAsync(VersionLedger.HeadKey, cancellationToken).ConfigureAwait(false))?.Deployment;
    }

    /// <summary>
    /// Replaces the model's deployment; every version it names must exist and not be archived, every
    /// alias must point to one, and (unless it allows a signature change) they must take the same inputs.
    /// </summary>
    public async Task<Deployment> SetDeploymentAsync(string name, Deployment deployment, string? by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var saved = await ledger.UpdateAsync(async head =>
        {
            if (ModelHead.From(head) is not { } current)
            {
                throw new RegistryConflictException($"Model '{name}' is not registered.", notFound: true);
            }

            var aliases = current.Aliases;
            var resolved = deployment.Resolve(current.Latest, aliases);
            var unknown = resolved.Routes.Where(r => r.Version is null).Select(r => r.Declared.Alias)
                .Append(deployment.Shadow is { } shadow && resolved.Shadow is null ? shadow.Version.Alias : null).OfType<string>().FirstOrDefault();
            if (unknown is not null)
            {
                throw new RegistryConflictException($"Model '{name}' has no alias '{unknown}'; its aliases are {(aliases.Count == 0 ? "none" : string.Join(", ", aliases.Keys))}.", notFound: true);
            }

            var versions = new List<ModelVersion>();
            foreach (var version in resolved.Versions)
            {
                var row = await ledger.GetAsync(VersionLedger.VersionKey(version), cancellationToken).ConfigureAwait(false)
                    ?? throw new RegistryConflictException($"Model '{name}' has no version {version}.", notFound: true);
                if (row.GetBoolean("Archived") == true)
                {
                    throw new RegistryConflictException($"Version {version} of '{name}' is archived: it cannot receive traffic.");
                }

                var found = ModelCatalog.FromEntity(row, aliases);
                versions.Add(found with { Signature = await blobs.ReadSignatureAsync(name, found.Sha256, cancellationToken).ConfigureAwait(false) });
            }

            var differences = versions.Skip(1).SelectMany(v => InputSignature.Differences(versions[0], v)).ToList();
            if (!deployment.AllowSignatureChange && differences.Count > 0)
            {
                throw new RegistryConflictException(
                    $"The deployment's versions take different inputs: {string.Join("; ", differences.Take(10))}. Send \"allowSignatureChange\": true if callers are ready for both.");
            }

            var next = (current with { Deployment = deployment, Updated = now }).ToEntity(ledger, head);
            var history = ModelCatalog.HistoryRow(HistoryAction.DeploymentSet, now, by, version: resolved.Weights().OrderByDescending(r => r.Weight).Select(r => (int?)r.Version).FirstOrDefault());
            return new LedgerChange<Deployment>(deployment, next, [ledger.AppendHistory(head, next, history)]);
        }, cancellationToken).ConfigureAwait(false);
        Changed?.Invoke(name);
        return saved;
    }

    /// <summary>Removes the model's deployment, so it serves its champion, else its latest version; false when it had none.</summary>
    public async Task<bool> DeleteDeploymentAsync(string name, string? by, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var removed = await ledger.UpdateAsync(head =>
        {
            if (ModelHead.From(head) is not { } current)
            {
                throw new RegistryConflictException($"Model '{name}' is not registered.", notFound: true);
            }

            if (current.Deployment is null)
            {
                return Task.FromResult(new LedgerChange<bool>(false, null, []));
            }

            var next = (current with { Deployment = null, Updated = now }).ToEntity(ledger, head);
            return Task.FromResult(new LedgerChange<bool>(true, next, [ledger.AppendHistory(head, next, ModelCatalog.HistoryRow(HistoryAction.DeploymentRemoved, now, by))]));
        }, cancellationToken).ConfigureAwait(false);
        Changed?.Invoke(name);
        return removed;
    }

    /// <summary>
    /// Makes <paramref name="version"/> the champion with all of the traffic, in one write: the <c>champion</c> alias
    /// moves and the deployment becomes <paramref name="deployment"/> (what a canary replaced; null removes it, so the
    /// champion serves), so no reader ever sees the alias moved with the canary's weights still in place.
    /// </summary>
    public async Task<HistoryEntry> PromoteAsync(string name, int version, Deployment? deployment, string by, string detail, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var entry = await ledger.UpdateAsync(async head =>
        {
            var row = head is null ? null : await ledger.GetAsync(VersionLedger.VersionKey(version), cancellationToken).ConfigureAwait(false);
            if (row is null || row.GetBoolean("Archived") == true)
            {
                throw new RegistryConflictException($"Version {version} of '{name}' does not exist or is archived: it cannot become the champion.", notFound: row is null);
            }

            var current = ModelHead.From(head)!;
            var aliases = new Dictionary<string, int>(current.Aliases);
            int? from = aliases.TryGetValue(AliasName.Champion, out var previous) ? previous : null;
            aliases[AliasName.Champion] = version;
            var change = AliasChange(ledger, head, current with { Aliases = aliases, Deployment = deployment, Updated = now },
                ModelCatalog.HistoryRow(HistoryAction.AliasSet, now, by, AliasName.Champion, from, version));
            var next = change.Head!;
            var promoted = ledger.AppendHistory(next, next, ModelCatalog.HistoryRow(HistoryAction.CanaryPromoted, now, by, AliasName.Champion, from, version, version, detail));
            return change with { Rows = [.. change.Rows, promoted] };
        }, cancellationToken).ConfigureAwait(false);
        Changed?.Invoke(name);
        await PublishAliasChangedAsync(name, entry, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>
    /// Puts <paramref name="deployment"/> back (null removes the deployment) in one write with a history entry saying
    /// why: what a canary's rollback, termination or crash restores. It was valid when it was replaced, so it is not checked again.
    /// </summary>
    public async Task RestoreDeploymentAsync(string name, Deployment? deployment, HistoryAction action, int? version, string by, string detail, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await ledger.UpdateAsync(head =>
        {
            if (ModelHead.From(head) is not { } current)
            {
                throw new RegistryConflictException($"Model '{name}' is not registered.", notFound: true);
            }

            var next = (current with { Deployment = deployment, Updated = now }).ToEntity(ledger, head);
            return Task.FromResult(new LedgerChange<bool>(true, next, [ledger.AppendHistory(head, next, ModelCatalog.HistoryRow(action, now, by, version: version, detail: detail))]));
        }, cancellationToken).ConfigureAwait(false);
        Changed?.Invoke(name);
    }

    /// <summary>Adds an entry to the model's history alone (a retraining's start or end), with why.</summary>
    public async Task NoteAsync(string name, HistoryAction action, int? version, string by, string detail, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await ledger.UpdateAsync(head =>
        {
            if (head is null)
            {
                return Task.FromResult(new LedgerChange<bool>(false, null, []));
            }

            var next = ledger.NextHead(head);
            return Task.FromResult(new LedgerChange<bool>(true, next, [ledger.AppendHistory(head, next, ModelCatalog.HistoryRow(action, now, by, version: version, detail: detail))]));
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ListPage<HistoryEntry>> HistoryAsync(string name, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var ledger = await catalog.LedgerAsync(name, cancellationToken).ConfigureAwait(false);
        var page = await ledger.ListAsync(VersionLedger.HistoryKey(0), VersionLedger.HistoryKeyEnd, continuationToken, pageSize, cancellationToken).ConfigureAwait(false);
        return new ListPage<HistoryEntry>([.. page.Items.Select(ModelCatalog.History)], page.ContinuationToken);
    }

    public Task<ListPage<ModelSummary>> ListAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        catalog.ListModelsAsync(continuationToken, pageSize, cancellationToken);

    /// <summary>Commits <paramref name="changed"/> (its aliases moved) over the head row read, with the history row saying how.</summary>
    private static LedgerChange<HistoryEntry> AliasChange(VersionLedger ledger, TableEntity? head, ModelHead changed, TableEntity history)
    {
        var next = changed.ToEntity(ledger, head);
        var row = ledger.AppendHistory(head, next, history);
        return new LedgerChange<HistoryEntry>(ModelCatalog.History(history), next, [row]);
    }

    private Task PublishAliasChangedAsync(string name, HistoryEntry entry, CancellationToken cancellationToken) =>
        events.PublishAsync(EventTypes.AliasChanged, $"models/{name}/aliases/{entry.Alias}",
            new { model = name, alias = entry.Alias, from = entry.From, to = entry.To, by = entry.By }, cancellationToken);

    private static VersionReference Number(int version) => VersionReference.Of(version);

    private static async Task<ModelVersion?> ExistingAsync(VersionLedger ledger, string sha256, CancellationToken cancellationToken)
    {
        if (await ledger.VersionOfHashAsync(sha256, cancellationToken).ConfigureAwait(false) is not { } number)
        {
            return null;
        }

        var head = ModelHead.From(await ledger.GetAsync(VersionLedger.HeadKey, cancellationToken).ConfigureAwait(false));
        var row = await ledger.GetAsync(VersionLedger.VersionKey(number), cancellationToken).ConfigureAwait(false);
        return row is null ? null : ModelCatalog.FromEntity(row, head?.Aliases ?? new Dictionary<string, int>());
    }

    /// <summary>
    /// Refuses feature names that could never bind: stored, every by-name request to the version
    /// would fail (a count other than the input's width) or feed one column twice (a duplicate).
    /// </summary>
    private static void CheckFeatureNames(ModelSignature signature, IReadOnlyList<string>? names)
    {
        if (names is not { Count: > 0 })
        {
            return;
        }

        if (FeatureNameRules.Repeated(names) is { Count: > 0 } repeated)
        {
            throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.InvalidFeatureNames,
                $"featureNames lists {string.Join(", ", repeated)} more than once: each name feeds one position of the input, so each may appear once.");
        }

        if (signature.Inputs is [{ Shape: [_, > 0 and var width] } input] && names.Count != width)
        {
            throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.InvalidFeatureNames,
                $"featureNames lists {names.Count} name(s) but input '{input.Name}' takes {width} features per row: give one name per position, in the input's order.");
        }
    }
}
