using Microsoft.Extensions.Configuration;

namespace Flywheel.Storage;

/// <summary>
/// Reads the storage connection the way the Functions host does: a plain value under the
/// connection name is a connection string; a section under it (<c>accountName</c>,
/// <c>blobServiceUri</c>, <c>credential</c>, <c>clientId</c>...) is an identity-based connection.
/// </summary>
public static class StorageConfiguration
{
    public static void Bind(IConfiguration configuration, StorageOptions options, string connectionName = StorageOptions.DefaultConnectionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);

        configuration.GetSection(StorageOptions.SectionName).Bind(options);

        var connection = configuration.GetSection(connectionName);
        if (!string.IsNullOrWhiteSpace(connection.Value))
        {
            options.ConnectionString = connection.Value;
            return;
        }

        options.AccountName = connection["accountName"] ?? options.AccountName;
        options.BlobServiceUri = UriOrDefault(connection["blobServiceUri"] ?? connection["serviceUri"], options.BlobServiceUri);
        options.TableServiceUri = UriOrDefault(connection["tableServiceUri"], options.TableServiceUri);
        options.QueueServiceUri = UriOrDefault(connection["queueServiceUri"], options.QueueServiceUri);
        options.Credential = connection["credential"] ?? options.Credential;
        options.ClientId = connection["clientId"] ?? options.ClientId;
    }

    private static Uri? UriOrDefault(string? value, Uri? fallback) =>
        string.IsNullOrWhiteSpace(value) ? fallback : new Uri(value, UriKind.Absolute);
}
