using Azure.Data.Tables;
using Flywheel.Storage;
using Flywheel.Testing;
using Microsoft.Extensions.Configuration;

namespace Flywheel.Tests.Storage;

public sealed class StorageClientsTests
{
    [Fact]
    public async Task Blob_written_through_the_storage_layer_reads_back_from_Azurite()
    {
        var container = Azurite.Clients().Container(Azurite.UniqueName("roundtrip"));
        await container.CreateAsync();
        try
        {
            await container.GetBlobClient("a/b.txt").UploadAsync(BinaryData.FromString("flywheel"));

            var read = await container.GetBlobClient("a/b.txt").DownloadContentAsync();

            Assert.Equal("flywheel", read.Value.Content.ToString());
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }
    }

    [Fact]
    public async Task Table_entity_written_through_the_storage_layer_reads_back_from_Azurite()
    {
        var table = Azurite.Clients().Table(Azurite.UniqueName("roundtrip"));
        await table.CreateAsync();
        try
        {
            await table.AddEntityAsync(new TableEntity("p", "r") { ["Value"] = 42 });

            var entity = await table.GetEntityAsync<TableEntity>("p", "r");

            Assert.Equal(42, entity.Value.GetInt32("Value"));
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    [Fact]
    public void Plain_connection_value_is_read_as_a_connection_string()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" })
            .Build();
        var options = new StorageOptions();

        StorageConfiguration.Bind(configuration, options);

        Assert.True(options.UsesConnectionString);
        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
    }

    [Fact]
    public void Double_underscore_settings_are_read_as_an_identity_based_connection()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage:accountName"] = "stflywheel",
                ["AzureWebJobsStorage:credential"] = "managedidentity",
                ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
                ["AzureWebJobsStorage:tableServiceUri"] = "https://stflywheel.table.core.windows.net",
                ["Flywheel:Storage:MaxRetries"] = "7",
            })
            .Build();
        var options = new StorageOptions();

        StorageConfiguration.Bind(configuration, options);
        var clients = new StorageClients(Microsoft.Extensions.Options.Options.Create(options));

        Assert.False(options.UsesConnectionString);
        Assert.Equal(7, options.MaxRetries);
        Assert.Equal("https://stflywheel.blob.core.windows.net/", clients.Blobs.Uri.ToString());
        Assert.Equal("stflywheel", clients.Tables.AccountName);
    }

    [Fact]
    public void Missing_connection_fails_with_a_message_naming_the_settings()
    {
        var options = new StorageOptions();

        var error = Assert.Throws<InvalidOperationException>(() => new StorageClients(Microsoft.Extensions.Options.Options.Create(options)));

        Assert.Contains("AzureWebJobsStorage__accountName", error.Message, StringComparison.Ordinal);
    }
}
