using Flywheel.Storage;
using Microsoft.Extensions.Options;

namespace Flywheel.Testing;

/// <summary>
/// The private Azurite that scripts/test.sh starts. Its connection string arrives in
/// <see cref="ConnectionStringVariable"/>; without it the tests fall back to Azurite's default ports.
/// </summary>
public static class Azurite
{
    public const string ConnectionStringVariable = "FLYWHEEL_TEST_STORAGE";

    /// <summary>A storage endpoint where nothing listens, for tests of what happens when storage is down.</summary>
    public const string UnreachableConnectionString =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";

    public static StorageOptions Options(string? connectionString = null) => new()
    {
        ConnectionString = connectionString ?? ConnectionString,
        MaxRetries = 1,
        RetryDelay = TimeSpan.FromMilliseconds(50),
        HealthTimeout = TimeSpan.FromSeconds(2),
    };

    public static StorageClients Clients(string? connectionString = null) => new(Microsoft.Extensions.Options.Options.Create(Options(connectionString)));

    /// <summary>A container or table name no other test uses, so tests run in parallel without sharing state.</summary>
    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 12, 63)];
}
