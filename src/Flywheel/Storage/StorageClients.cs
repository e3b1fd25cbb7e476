using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace Flywheel.Storage;

/// <summary>
/// The one place that turns <see cref="StorageOptions"/> into Azure SDK clients. The clients
/// are thread-safe and cheap to share, so one instance lives for the whole process.
/// </summary>
public sealed class StorageClients
{
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, bool> _created = new(StringComparer.Ordinal);

    public StorageClients(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _prefix = settings.NamePrefix;

        var blobOptions = new BlobClientOptions();
        var tableOptions = new TableClientOptions();
        ConfigureRetry(blobOptions.Retry, settings);
        ConfigureRetry(tableOptions.Retry, settings);

        if (settings.UsesConnectionString)
        {
            Blobs = new BlobServiceClient(settings.ConnectionString, blobOptions);
            Tables = new TableServiceClient(settings.ConnectionString, tableOptions);
            return;
        }

        var credential = CreateCredential(settings);
        Blobs = new BlobServiceClient(ServiceUri(settings.BlobServiceUri, settings.AccountName, "blob"), credential, blobOptions);
        Tables = new TableServiceClient(ServiceUri(settings.TableServiceUri, settings.AccountName, "table"), credential, tableOptions);
    }

    public BlobServiceClient Blobs { get; }

    public TableServiceClient Tables { get; }

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(_prefix + name);

    public TableClient Table(string name) => Tables.GetTableClient(_prefix + name);

    /// <summary>The container, created on first use in this process (a failed attempt is retried next call).</summary>
    public async Task<BlobContainerClient> ContainerAsync(string name, CancellationToken cancellationToken)
    {
        var container = Container(name);
        if (!_created.ContainsKey("blob:" + container.Name))
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _created.TryAdd("blob:" + container.Name, true);
        }

        return container;
    }

    /// <summary>The table, created on first use in this process (a failed attempt is retried next call).</summary>
    public async Task<TableClient> TableAsync(string name, CancellationToken cancellationToken)
    {
        var table = Table(name);
        if (!_created.ContainsKey("table:" + table.Name))
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _created.TryAdd("table:" + table.Name, true);
        }

        return table;
    }

    private static void ConfigureRetry(RetryOptions retry, StorageOptions settings)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = settings.MaxRetries;
        retry.Delay = settings.RetryDelay;
        retry.MaxDelay = settings.MaxRetryDelay;
        retry.NetworkTimeout = settings.NetworkTimeout;
    }

    private static TokenCredential CreateCredential(StorageOptions settings) =>
        string.Equals(settings.Credential, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrEmpty(settings.ClientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(settings.ClientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = settings.ClientId });

    private static Uri ServiceUri(Uri? explicitUri, string? accountName, string service)
    {
        if (explicitUri is not null)
        {
            return explicitUri;
        }

        if (string.IsNullOrWhiteSpace(accountName))
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set '{StorageOptions.DefaultConnectionName}' to a connection string, " +
                $"or '{StorageOptions.DefaultConnectionName}__accountName' (or '__{service}ServiceUri') for an identity-based connection.");
        }

        return new Uri($"https://{accountName}.{service}.core.windows.net");
    }
}
