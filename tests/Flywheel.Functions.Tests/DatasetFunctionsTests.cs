using System.Text.Json;
using Flywheel.Functions.Datasets;
using Flywheel.Functions.Http;
using Flywheel.Storage;
using Flywheel.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Functions.Tests;

public sealed class DatasetFunctionsTests
{
    [Fact]
    public async Task The_generated_PutDataset_function_versions_the_body_and_the_blob_trigger_versions_a_drop()
    {
        await using var services = Services();
        var landing = ActivatorUtilities.CreateInstance<LandingFunctions>(services);

        var put = await HttpInvocation.RunAsync(services, (f, r) => f.PutDataset(r), "PUT", "/api/datasets/direct", body: "a,b\n1,x\n2,y\n");

        Assert.Equal(StatusCodes.Status201Created, put.Status);
        using var body = JsonDocument.Parse(put.Body);
        Assert.Equal(2, body.RootElement.GetProperty("rows").GetInt64());

        var container = services.GetRequiredService<StorageClients>().Container(StorageNames.LandingContainer);
        await container.CreateIfNotExistsAsync();
        var drop = container.GetBlobClient("direct/second.csv");
        await drop.UploadAsync(BinaryData.FromString("a,b\n3,z\n"));
        await landing.OnLandingBlob(drop, "direct", "second.csv", CancellationToken.None);

        Assert.False(await drop.ExistsAsync());
        // Event Grid delivers at least once: a second delivery of the same event finds nothing to do.
        await landing.OnLandingBlob(drop, "direct", "second.csv", CancellationToken.None);
        var versions = await HttpInvocation.RunAsync(services, (f, r) => f.ListDatasetVersions(r), "GET", "/api/datasets/direct/versions");
        using var page = JsonDocument.Parse(versions.Body);
        Assert.Equal(2, page.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_blob_trigger_quarantines_a_drop_it_cannot_ingest_and_completes_so_event_grid_does_not_redeliver()
    {
        await using var services = Services();
        var landing = ActivatorUtilities.CreateInstance<LandingFunctions>(services);
        var storage = services.GetRequiredService<StorageClients>();
        // A damaged contract blob makes every ingest of this dataset fail, whatever the file.
        var datasets = await storage.ContainerAsync(StorageNames.DatasetsContainer, CancellationToken.None);
        await datasets.GetBlobClient("poisoned/contract.json").UploadAsync(BinaryData.FromString("{not json"));
        var container = storage.Container(StorageNames.LandingContainer);
        await container.CreateIfNotExistsAsync();
        var drop = container.GetBlobClient("poisoned/a.csv");
        await drop.UploadAsync(BinaryData.FromString("a,b\n1,2\n"));

        await landing.OnLandingBlob(drop, "poisoned", "a.csv", CancellationToken.None);

        Assert.False(await drop.ExistsAsync());
        var quarantine = await storage.ContainerAsync(StorageNames.QuarantineContainer, CancellationToken.None);
        var kept = new List<string>();
        await foreach (var blob in quarantine.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "poisoned/", CancellationToken.None))
        {
            kept.Add(blob.Name);
        }

        Assert.Contains(kept, name => name.EndsWith("/a.csv", StringComparison.Ordinal));
        Assert.Contains(kept, name => name.EndsWith("/report.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_blob_trigger_throws_on_unreachable_storage_so_event_grid_redelivers()
    {
        await using var services = Services(Azurite.UnreachableConnectionString);
        var landing = ActivatorUtilities.CreateInstance<LandingFunctions>(services);
        var drop = services.GetRequiredService<StorageClients>().Container(StorageNames.LandingContainer).GetBlobClient("later/a.csv");

        var thrown = await Record.ExceptionAsync(() => landing.OnLandingBlob(drop, "later", "a.csv", CancellationToken.None));

        Assert.True(thrown is not null && StorageFailures.IsTransient(thrown), thrown?.ToString());
    }

    /// <summary>The services the Functions host adds, on the test Azurite under a name prefix of their own.</summary>
    internal static ServiceProvider Services(string? connectionString = null) => Collection(connectionString).BuildServiceProvider();

    /// <summary>The registrations of <see cref="Services"/>, for a test that adds to them.</summary>
    internal static IServiceCollection Collection(string? connectionString = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString ?? Azurite.ConnectionString,
            ["Flywheel:Storage:MaxRetries"] = "0",
            ["Flywheel:Storage:HealthTimeout"] = "00:00:30",
            ["Flywheel:Storage:NamePrefix"] = $"f{Guid.NewGuid():N}"[..12],
        }).Build();
        return new ServiceCollection().AddLogging().AddFlywheelApi(configuration).AddSingleton<DeclaredEndpoints>();
    }
}
