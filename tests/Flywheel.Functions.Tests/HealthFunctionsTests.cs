using System.Text.Json;
using Flywheel.Testing;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Functions.Tests;

public sealed class HealthFunctionsTests
{
    [Fact]
    public async Task The_generated_GetHealth_function_answers_200_healthy_when_Azurite_answers()
    {
        var (status, body) = await InvokeAsync(Azurite.ConnectionString);

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("blobs").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("tables").GetString());
    }

    [Fact]
    public async Task The_generated_GetHealth_function_answers_503_naming_blobs_and_tables_when_storage_is_unreachable()
    {
        var (status, body) = await InvokeAsync(Azurite.UnreachableConnectionString);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.NotEqual("ok", body.GetProperty("checks").GetProperty("blobs").GetString());
        Assert.NotEqual("ok", body.GetProperty("checks").GetProperty("tables").GetString());
    }

    private static async Task<(int Status, JsonElement Body)> InvokeAsync(string connectionString)
    {
        // Services() gives the probe 30 s: its first call in a cold test process (JIT, first connection) can pass
        // the usual 3 s when the machine is busy, and this test is about the answer, not the latency.
        await using var services = DatasetFunctionsTests.Services(connectionString);
        var answer = await HttpInvocation.RunAsync(services, (f, r) => f.GetHealth(r), "GET", "/api/health");
        using var document = JsonDocument.Parse(answer.Body);
        return (answer.Status, document.RootElement.Clone());
    }
}
