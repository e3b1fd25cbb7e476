using System.Text.Json;
using Flywheel.Api.Health;
using Flywheel.Functions.Health;
using Flywheel.Health;
using Flywheel.Storage;
using Flywheel.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Flywheel.Functions.Tests;

public sealed class HealthFunctionsTests
{
    [Fact]
    public async Task GetHealth_answers_200_healthy_when_Azurite_answers()
    {
        var (status, body) = await InvokeAsync(Azurite.ConnectionString);

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("blobs").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("tables").GetString());
    }

    [Fact]
    public async Task GetHealth_answers_503_naming_blobs_and_tables_when_storage_is_unreachable()
    {
        var (status, body) = await InvokeAsync(Azurite.UnreachableConnectionString);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.NotEqual("ok", body.GetProperty("checks").GetProperty("blobs").GetString());
        Assert.NotEqual("ok", body.GetProperty("checks").GetProperty("tables").GetString());
    }

    private static async Task<(int Status, JsonElement Body)> InvokeAsync(string connectionString)
    {
        // The probe's first call in a cold test process (JIT, first connection) can pass the tests' usual
        // 2 s when the machine is busy: this test is about the answer, not the latency, so it waits longer.
        var settings = Azurite.Options(connectionString);
        settings.HealthTimeout = TimeSpan.FromSeconds(30);
        var options = Options.Create(settings);
        var function = new HealthFunctions(new HealthEndpoint(new StorageHealthProbe(new StorageClients(options), options)));
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        var result = await function.GetHealth(context.Request, CancellationToken.None);
        await result.ExecuteAsync(context);

        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, document.RootElement.Clone());
    }
}
