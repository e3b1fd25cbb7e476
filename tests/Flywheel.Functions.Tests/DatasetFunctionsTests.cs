using System.Text;
using System.Text.Json;
using Flywheel.Functions.Datasets;
using Flywheel.Storage;
using Flywheel.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Functions.Tests;

public sealed class DatasetFunctionsTests
{
    [Fact]
    public async Task PutDataset_function_versions_the_body_and_the_blob_trigger_versions_a_drop()
    {
        await using var services = Services();
        var functions = ActivatorUtilities.CreateInstance<DatasetFunctions>(services);
        var landing = ActivatorUtilities.CreateInstance<LandingFunctions>(services);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("a,b\n1,x\n2,y\n"));
        context.Response.Body = new MemoryStream();

        var result = await functions.PutDataset(context.Request, "direct", CancellationToken.None);
        await result.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status201Created, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(2, body.RootElement.GetProperty("rows").GetInt64());

        var container = services.GetRequiredService<StorageClients>().Container(StorageNames.LandingContainer);
        await container.CreateIfNotExistsAsync();
        var drop = container.GetBlobClient("direct/second.csv");
        await drop.UploadAsync(BinaryData.FromString("a,b\n3,z\n"));
        await landing.OnLandingBlob(drop, "direct", "second.csv", CancellationToken.None);

        Assert.False(await drop.ExistsAsync());
        // Event Grid delivers at least once: a second delivery of the same event finds nothing to do.
        await landing.OnLandingBlob(drop, "direct", "second.csv", CancellationToken.None);
        var versions = await functions.ListDatasetVersions(new DefaultHttpContext { RequestServices = services }.Request, "direct", CancellationToken.None);
        var listing = new DefaultHttpContext { RequestServices = services };
        listing.Response.Body = new MemoryStream();
        await versions.ExecuteAsync(listing);
        listing.Response.Body.Position = 0;
        using var page = await JsonDocument.ParseAsync(listing.Response.Body);
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
    internal static ServiceProvider Services(string? connectionString = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString ?? Azurite.ConnectionString,
            ["Flywheel:Storage:MaxRetries"] = "0",
            ["Flywheel:Storage:NamePrefix"] = $"f{Guid.NewGuid():N}"[..12],
        }).Build();
        return new ServiceCollection().AddLogging().AddFlywheelApi(configuration).BuildServiceProvider();
    }
}
