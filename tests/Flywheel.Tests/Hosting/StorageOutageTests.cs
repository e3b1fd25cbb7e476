using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Testing;

namespace Flywheel.Tests.Hosting;

public sealed class StorageOutageTests
{
    [Theory]
    [InlineData("GET", "api/datasets", "", "detail")]
    [InlineData("GET", "api/models/iris", "", "detail")]
    [InlineData("PUT", "api/datasets/flowers", "a,b\n1,2\n", "detail")]
    [InlineData("POST", "api/models/iris/predict", """{"records": [{"a": 1}]}""", "detail")]
    [InlineData("POST", "api/models/iris/batch-predictions", """{"dataset": "flowers"}""", "detail")]
    [InlineData("POST", "api/models/iris/versions", "not really onnx", "detail")]
    [InlineData("POST", "api/models/iris/versions/2/predict", """{"records": [{"a": 1}]}""", "detail")]
    [InlineData("POST", "api/models/iris/versions/champion/predict", """{"records": [{"a": 1}]}""", "detail")]
    [InlineData("POST", "api/models/iris/feedback", """{"requestId": "abc", "actual": 1}""", "detail")]
    [InlineData("PUT", "api/datasets/flowers/contract", """{"minRows": 1}""", "detail")]
    [InlineData("PUT", "api/models/iris/aliases/champion", """{"version": 1}""", "detail")]
    [InlineData("PUT", "api/models/iris/deployment", """{"routes": [{"version": 1, "weight": 1}]}""", "detail")]
    [InlineData("GET", "api/datasets/flowers/quarantine", "", "detail")]
    [InlineData("POST", "v2/models/iris/infer", """{"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [1]}]}""", "error")]
    public async Task Unreachable_storage_is_a_503_with_retry_after_in_the_protocol_of_the_route(string method, string route, string content, string message)
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.UnreachableConnectionString,
            ["Flywheel:Storage:MaxRetries"] = "0",
        });
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(route, UriKind.Relative))
        {
            Content = new StringContent(content, Encoding.UTF8, "application/json"),
        };

        using var response = await client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.RetryAfter?.ToString());
        Assert.Contains("retry", body.GetProperty(message).GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
