using Azure.Identity;
using DurableTask.AzureStorage;
using Flywheel.Storage;
using Microsoft.Extensions.Options;

namespace Flywheel.LocalHost.Pipelines;

/// <summary>
/// The Durable Task Framework's Azure Storage backend on LocalHost's storage account (Azurite):
/// the same backend Durable Functions uses in Azure, so orchestrations survive a crash the same way.
/// The task hub is created once, by whichever of the worker and the client needs it first.
/// </summary>
public sealed class LocalEngine
{
    private readonly Lazy<Task> _created;

    public LocalEngine(IOptions<LocalEngineOptions> options, IOptions<StorageOptions> storage, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        var engine = options.Value;
        var account = storage.Value;
        Enabled = engine.Enabled;
        TaskHub = engine.TaskHub is { Length: > 0 } hub ? hub : $"{account.NamePrefix}flywheellocal";
        var clients = account.UsesConnectionString
            ? new StorageAccountClientProvider(account.ConnectionString!)
            : new StorageAccountClientProvider(account.AccountName ?? throw new OptionsValidationException(nameof(StorageOptions), typeof(StorageOptions), ["The local engine needs a storage connection string or account name."]),
                new DefaultAzureCredential());
        Service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = TaskHub,
            StorageAccountClientProvider = clients,
            PartitionCount = 1,

            // One process owns the hub locally; the app lease would make a restarted process wait for a dead one's lease.
            UseAppLease = false,
            WorkItemQueueVisibilityTimeout = engine.WorkItemVisibilityTimeout,
            ControlQueueVisibilityTimeout = engine.ControlQueueVisibilityTimeout,
            LeaseInterval = engine.LeaseInterval,
            MaxQueuePollingInterval = engine.MaxQueuePollingInterval,
            MaxConcurrentTaskActivityWorkItems = engine.MaxConcurrentActivities > 0 ? engine.MaxConcurrentActivities : Environment.ProcessorCount,
            LoggerFactory = loggerFactory,
        });
        _created = new Lazy<Task>(() => Service.CreateIfNotExistsAsync());
    }

    public bool Enabled { get; }

    public string TaskHub { get; }

    public AzureStorageOrchestrationService Service { get; }

    public Task EnsureCreatedAsync() => _created.Value;
}
