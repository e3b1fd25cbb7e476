using System.Net;
using System.Text;
using System.Text.Json;

namespace Flywheel.Tests.Pipelines;

/// <summary>Starting a batch scoring run and polling its status over HTTP, as a user's script would.</summary>
internal static class PipelineClientExtensions
{
    public static async Task<(HttpStatusCode Status, JsonElement Body, Uri? Location)> StartBatchAsync(this HttpClient client, string model, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"api/models/{model}/batch-predictions", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response.Headers.Location);
    }

    public static async Task<JsonElement> StatusAsync(this HttpClient client, string id)
    {
        using var response = await client.GetAsync(new Uri($"api/pipelines/{id}", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls until the run leaves Pending/Running; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task<JsonElement> WaitForEndAsync(this HttpClient client, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await client.StatusAsync(id);
            if (status.GetProperty("runtimeStatus").GetString() is not ("Pending" or "Running"))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Pipeline {id} still running after {timeout}: {status}");
            await Task.Delay(200);
        }
    }
}
