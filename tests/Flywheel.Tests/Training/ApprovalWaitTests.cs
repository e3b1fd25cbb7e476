using System.Net;
using System.Text.Json;
using Flywheel.Api.Pipelines;
using Flywheel.Pipelines;
using Flywheel.Tests.Pipelines;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Tests.Training;

/// <summary>The approval wait of a manual promotion, fed payloads that are not approvals by something that raises events on the engine directly.</summary>
public sealed class ApprovalWaitTests
{
    [Fact]
    public async Task The_approval_wait_ignores_payloads_it_cannot_read_says_so_and_still_takes_the_approval()
    {
        await using var app = await TrainingPipelineTests.TitanicAppAsync();
        using var client = app.CreateClient();
        var (_, started) = await TrainingPipelineTests.PostAsync(client, "api/pipelines/training", """
            {"model": "patient", "dataset": "titanic", "label": "survived", "features": ["pclass", "sex", "age", "fare"], "trials": 1, "promotion": "manual", "approvalTimeout": "PT10M"}
            """);
        var id = started.GetProperty("id").GetString()!;
        await StepAsync(client, id, s => s.GetProperty("step").GetString() == "awaiting-approval");

        // The engine matches event names ignoring case, so each of these reaches the wait.
        var engine = app.Services.GetRequiredService<IPipelineClient>();
        await engine.RaiseEventAsync(id, "Approval", "yes", CancellationToken.None);
        await engine.RaiseEventAsync(id, "APPROVAL", JsonDocument.Parse("""{"approved": "yes"}""").RootElement.Clone(), CancellationToken.None);
        await engine.RaiseEventAsync(id, "approval", null, CancellationToken.None);
        var waiting = await StepAsync(client, id, s => s.TryGetProperty("note", out var note) && note.GetString()!.Contains("ignored", StringComparison.Ordinal));
        await Task.Delay(1000);
        Assert.Equal("Running", (await client.StatusAsync(id)).GetProperty("runtimeStatus").GetString());
        Assert.Equal("awaiting-approval", waiting.GetProperty("step").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await TrainingPipelineTests.PostAsync(client, $"api/pipelines/{id}/events/approval", """{"approved": true, "by": "ana"}""")).Status);
        var end = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(1));
        Assert.Equal("Completed", end.GetProperty("runtimeStatus").GetString());
        Assert.Equal("promoted", end.GetProperty("output").GetProperty("promotion").GetString());
        Assert.Contains("approved by ana", end.GetProperty("output").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> StepAsync(HttpClient client, string id, Func<JsonElement, bool> reached)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var status = await client.StatusAsync(id);
            var custom = status.GetProperty("customStatus");
            if (custom.ValueKind == JsonValueKind.Object && reached(custom))
            {
                return custom;
            }

            Assert.True(DateTime.UtcNow < deadline && status.GetProperty("runtimeStatus").GetString() is "Pending" or "Running", status.ToString());
            await Task.Delay(200);
        }
    }
}
