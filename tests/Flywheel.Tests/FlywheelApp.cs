using Flywheel.Storage;
using Flywheel.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Tests;

/// <summary>
/// LocalHost in process on the test Azurite, with a storage name prefix of its own: every test
/// that creates one sees only its own containers and tables.
/// </summary>
public sealed class FlywheelApp : WebApplicationFactory<LocalHost.Program>
{
    private readonly Dictionary<string, string?> _settings;

    public FlywheelApp(IReadOnlyDictionary<string, string?>? settings = null)
    {
        Prefix = $"t{Guid.NewGuid():N}"[..12];
        _settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Flywheel:Storage:NamePrefix"] = Prefix,
            ["Flywheel:Datasets:LandingPollInterval"] = "00:00:00.200",

            // The pipeline engine polls its queues all the time: on only for the tests that run orchestrations.
            ["Flywheel:LocalEngine:Enabled"] = "false",
            ["Flywheel:LocalEngine:MaxQueuePollingInterval"] = "00:00:00.200",

            // The monitoring timer fires once a year in tests: tests that monitor call the scheduler themselves.
            ["Flywheel:Monitoring:Schedule"] = "0 0 0 1 1 *",

            // So does the retraining timer: tests of retraining set a schedule of their own.
            ["Flywheel:Retraining:Schedule"] = "0 0 0 1 1 *",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string Prefix { get; }

    private StorageClients? _storage;

    /// <summary>The app's storage clients, kept once read, so a test that stopped the host can still read (and clean) its storage.</summary>
    public StorageClients Storage => _storage ??= Services.GetRequiredService<StorageClients>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        // Remove what this app created, so repeated runs against one Azurite stay small.
        var storage = Storage;
        await base.DisposeAsync();
        try
        {
            await DeleteOwnStorageAsync(storage);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException)
        {
            // The test stopped its storage on purpose: nothing left to clean.
        }
    }

    private async Task DeleteOwnStorageAsync(StorageClients storage)
    {
        await foreach (var container in storage.Blobs.GetBlobContainersAsync(prefix: Prefix))
        {
            await storage.Blobs.DeleteBlobContainerAsync(container.Name);
        }

        await foreach (var table in storage.Tables.QueryAsync(t => t.Name.CompareTo(Prefix) >= 0 && t.Name.CompareTo(Prefix + "{") < 0))
        {
            await storage.Tables.DeleteTableAsync(table.Name);
        }
    }
}
