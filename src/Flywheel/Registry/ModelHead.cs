using System.Text.Json;
using Azure.Data.Tables;
using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Flywheel.Storage;

namespace Flywheel.Registry;

/// <summary>
/// A model's head row in the <c>models</c> table, the one place its registry columns are read and written: the latest
/// version, the aliases (a JSON object), the deployment (JSON, empty for none) and the archived versions (a JSON array),
/// so a change to any of them commits under the head's ETag with its history row. The row also carries columns other
/// owners keep (the ledger's history count, the retraining policy); writing a head copies the row read, so they stay.
/// </summary>
internal sealed record ModelHead(
    string Name, int Latest, IReadOnlyDictionary<string, int> Aliases, Deployment? Deployment, IReadOnlySet<int> Archived, DateTimeOffset? Created, DateTimeOffset? Updated)
{
    private const string LatestColumn = "Latest";
    private const string AliasesColumn = "Aliases";
    private const string DeploymentColumn = "Deployment";
    private const string ArchivedColumn = "Archived";
    private const string CreatedColumn = "Created";
    private const string UpdatedColumn = "Updated";

    /// <summary>The head of a model with no version yet: what its first registration starts from.</summary>
    public static ModelHead New(string name) => new(name, 0, new Dictionary<string, int>(), null, new HashSet<int>(), null, null);

    /// <summary>The head <paramref name="row"/> holds; null when there is no row (no such model).</summary>
    public static ModelHead? From(TableEntity? row) => row is null ? null : new(
        row.PartitionKey,
        row.GetInt32(LatestColumn) ?? 0,
        JsonSerializer.Deserialize<Dictionary<string, int>>(row.GetString(AliasesColumn) ?? "{}", Json.Options) ?? [],
        row.GetString(DeploymentColumn) is { Length: > 0 } deployment ? JsonSerializer.Deserialize<Deployment>(deployment, Json.Options) : null,
        row.GetString(ArchivedColumn) is { Length: > 0 } archived ? JsonSerializer.Deserialize<HashSet<int>>(archived, Json.Options) ?? [] : new HashSet<int>(),
        row.GetDateTimeOffset(CreatedColumn),
        row.GetDateTimeOffset(UpdatedColumn));

    /// <summary>The row to commit: a copy of <paramref name="read"/> (or a new head) with this head's columns.</summary>
    public TableEntity ToEntity(VersionLedger ledger, TableEntity? read)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var next = ledger.NextHead(read);
        next[LatestColumn] = Latest;
        next[AliasesColumn] = JsonSerializer.Serialize(Aliases, Json.Options);
        next[DeploymentColumn] = DeploymentJson(Deployment);
        if (Archived.Count > 0)
        {
            next[ArchivedColumn] = JsonSerializer.Serialize(Archived.Order(), Json.Options);
        }

        if (Created is { } created)
        {
            next[CreatedColumn] = created;
        }

        if (Updated is { } updated)
        {
            next[UpdatedColumn] = updated;
        }

        return next;
    }

    /// <summary>A deployment as the head stores it: its JSON, or empty for none (other rows that remember a deployment store it alike).</summary>
    public static string DeploymentJson(Deployment? deployment) => deployment is null ? string.Empty : JsonSerializer.Serialize(deployment, Json.Options);

    /// <summary>The number <paramref name="version"/> names on this head (latest, aliases); null without such an alias.</summary>
    public int? Resolve(VersionReference version) => version.Resolve(Latest, Aliases);

    public ModelSummary Summary() => new(Name, Latest, Aliases, Created ?? default, Updated ?? default);
}
