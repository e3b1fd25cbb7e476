using System.ComponentModel.DataAnnotations;

namespace Flywheel.Storage;

/// <summary>
/// How Flywheel reaches its storage account. Either <see cref="ConnectionString"/> is set
/// (Azurite locally: <c>UseDevelopmentStorage=true</c>), or the account is reached with an
/// Entra identity through <see cref="AccountName"/> or explicit service URIs, the
/// <c>AzureWebJobsStorage__accountName</c> convention the Functions host uses in Azure.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The configuration key (or section) that holds the storage connection.</summary>
    public const string DefaultConnectionName = "AzureWebJobsStorage";

    /// <summary>The section with retry and timeout settings.</summary>
    public const string SectionName = "Flywheel:Storage";

    public string? ConnectionString { get; set; }

    public string? AccountName { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary><c>managedidentity</c> selects a managed identity; anything else uses the default credential chain.</summary>
    public string? Credential { get; set; }

    /// <summary>Client id of a user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Prepended to every container and table name (letters and digits), so several environments,
    /// or parallel tests, can share one account without seeing each other's data.
    /// </summary>
    [RegularExpression("^([a-z][a-z0-9]*)?$", ErrorMessage = "Flywheel:Storage:NamePrefix must be lowercase letters and digits starting with a letter, as container and table names need.")]
    public string NamePrefix { get; set; } = string.Empty;

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the health endpoint waits for each storage service.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);
}
