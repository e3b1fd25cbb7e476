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

    private static ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Flywheel:Storage:NamePrefix"] = $"f{Guid.NewGuid():N}"[..12],
        }).Build();
        return new ServiceCollection().AddLogging().AddFlywheelApi(configuration).BuildServiceProvider();
    }
}
