using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Contracts.Pipelines;

namespace Flywheel.Tests.Pipelines;

/// <summary>Events sent to pipelines: names the engine would hand to the approval wait, payloads it could not read, and pipelines that have finished.</summary>
public sealed class PipelineEventTests
{
    private static readonly Dictionary<string, string?> s_engineOn = new() { ["Flywheel:LocalEngine:Enabled"] = "true" };

    [Theory]
    [InlineData("Approval")]
    [InlineData("APPROVAL")]
    [InlineData("aPPROVAl")]
    public async Task An_event_named_approval_in_another_case_is_a_400_naming_the_spelling_before_any_lookup(string name)
    {
        // The engine is off: an answer that needed the pipeline would be a 503, not this 400.
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        using var body = new StringContent("""{"approved": "yes"}""", Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri($"api/pipelines/some-run/events/{name}", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Contains($"'{name}'", detail, StringComparison.Ordinal);
        Assert.Contains("'approval'", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("approval", true)]
    [InlineData("Approval", true)]
    [InlineData("APPROVAL", true)]
    [InlineData("approve", false)]
    [InlineData("approvals", false)]
    [InlineData("", false)]
    public void The_approval_wait_takes_names_as_the_engine_matches_them(string name, bool reaches) =>
        Assert.Equal(reaches, ApprovalEvent.Reaches(name));

    [Theory]
    [InlineData(null)]
    [InlineData("null")]
    [InlineData("\"yes\"")]
    [InlineData("[true]")]
    [InlineData("{}")]
    [InlineData("""{"approved": "yes"}""")]
    [InlineData("""{"approved": 1}""")]
    [InlineData("""{"approved": null}""")]
    [InlineData("""{"approved": true, "by": 3}""")]
    public void A_payload_that_is_not_an_approval_is_read_as_none_with_a_reason(string? json)
    {
        JsonElement? payload = json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

        var approval = ApprovalEvent.Read(payload, out var problem);

        Assert.Null(approval);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Theory]
    [InlineData("""{"approved": true}""", true, null)]
    [InlineData("""{"approved": false, "by": "ana"}""", false, "ana")]
    [InlineData("""{"approved": true, "by": "bo", "comment": "fine"}""", true, "bo")]
    public void An_approval_payload_is_read_whole(string json, bool approved, string? by)
    {
        var approval = ApprovalEvent.Read(JsonDocument.Parse(json).RootElement.Clone(), out var problem);

        Assert.Null(problem);
        Assert.Equal(approved, approval?.Approved);
        Assert.Equal(by, approval?.By);
    }

    [Fact]
    public async Task An_approval_for_a_completed_or_terminated_pipeline_is_a_409_whatever_the_name()
    {
        await using var app = new FlywheelApp(s_engineOn);
        using var client = app.CreateClient();
        await IrisData.SeedAsync(client, 150);
        var (_, done, _) = await client.StartBatchAsync("iris", """{"dataset": "flowers"}""");
        var completed = done.GetProperty("id").GetString()!;
        Assert.Equal("Completed", (await client.WaitForEndAsync(completed, TimeSpan.FromSeconds(90))).GetProperty("runtimeStatus").GetString());
        var (_, stopped, _) = await client.StartBatchAsync("iris", """{"dataset": "flowers", "chunkRows": 100}""");
        var terminated = stopped.GetProperty("id").GetString()!;
        await client.PostAsync(new Uri($"api/pipelines/{terminated}/terminate", UriKind.Relative), null);
        var end = await client.WaitForEndAsync(terminated, TimeSpan.FromSeconds(90));

        foreach (var (id, status) in new[] { (completed, "Completed"), (terminated, end.GetProperty("runtimeStatus").GetString()!) })
        {
            foreach (var (name, json) in new[] { ("approval", """{"approved": true}"""), ("approval", """{"approved": false, "by": "ana"}"""), ("retrain", "{}") })
            {
                using var body = new StringContent(json, Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(new Uri($"api/pipelines/{id}/events/{name}", UriKind.Relative), body);
                var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
                Assert.Equal("https://flywheel.dev/problems/not-running", problem.GetProperty("type").GetString());
                Assert.Contains(status, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
    }
}
