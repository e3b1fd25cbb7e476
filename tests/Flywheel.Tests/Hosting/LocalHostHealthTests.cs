using System.Net;
using System.Text.Json;
using Flywheel.Testing;

namespace Flywheel.Tests.Hosting;

public sealed class LocalHostHealthTests
{
    [Fact]
    public async Task Health_is_200_with_every_check_ok_when_storage_answers()
    {
        await using var host = await LocalHostProcess.StartAsync(Azurite.ConnectionString);

        var (status, body) = await GetHealthAsync(host);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("blobs").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("tables").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task Health_is_503_naming_the_failing_services_when_storage_is_unreachable()
    {
        await using var host = await LocalHostProcess.StartAsync(Azurite.UnreachableConnectionString);

        var (status, body) = await GetHealthAsync(host);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.StartsWith("failed", body.GetProperty("checks").GetProperty("blobs").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("failed", body.GetProperty("checks").GetProperty("tables").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_recovers_without_a_restart_when_storage_comes_back()
    {
        await using var azurite = new AzuriteProcess();
        await azurite.StartAsync();
        await using var host = await LocalHostProcess.StartAsync(azurite.ConnectionString);
        Assert.Equal(HttpStatusCode.OK, (await GetHealthAsync(host)).Status);

        await azurite.StopAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetHealthAsync(host)).Status);

        await azurite.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await GetHealthAsync(host)).Status);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetHealthAsync(LocalHostProcess host)
    {
        using var response = await host.Client.GetAsync(new Uri("api/health", UriKind.Relative));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }
}
