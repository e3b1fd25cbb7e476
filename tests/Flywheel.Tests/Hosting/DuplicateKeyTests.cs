using System.Net;
using System.Text;
using Flywheel.Tests.Datasets;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Hosting;

/// <summary>A key twice in one JSON object is a 400 naming the key on every route that reads JSON, the serving fast paths included: no route guesses which one was meant.</summary>
public sealed class DuplicateKeyTests
{
    public static TheoryData<string, string, string, string> Bodies() => new()
    {
        { "PUT", "api/datasets/dup/contract", """{"minRows": 1, "minRows": 2}""", "minRows" },
        { "PUT", "api/datasets/dup/contract", """{"columns": {"a": {"type": "integer", "type": "string"}}}""", "type" },
        { "PUT", "api/models/dup/deployment", """{"routes": [{"version": 1, "weight": 1, "weight": 2}]}""", "weight" },
        { "PATCH", "api/models/dup/versions/1", """{"description": "a", "description": "b"}""", "description" },
        { "PUT", "api/models/dup/aliases/champion", """{"version": 1, "version": 1}""", "version" },
        { "POST", "api/pipelines/training", """{"model": "dup", "model": "other", "dataset": "dup", "label": "b"}""", "model" },
        { "POST", "api/pipelines/training", """{"model": "dup", "dataset": "dup", "label": "b", "gate": {"minRows": 1, "minRows": 2}}""", "minRows" },
        { "PUT", "api/models/dup/training", """{"dataset": "dup", "label": "b", "label": "a"}""", "label" },
        { "POST", "api/models/dup/batch-predictions", """{"dataset": "dup", "dataset": "other"}""", "dataset" },
        { "PUT", "api/models/dup/monitoring", """{"driftShare": 0.5, "driftShare": 0.6}""", "driftShare" },
        { "POST", "api/models/dup/drift/run", """{"version": 1, "version": 1}""", "version" },
        { "POST", "api/models/dup/feedback", """{"requestId": "a", "requestId": "b", "actual": 1}""", "requestId" },
        { "POST", "api/models/dup/predict", """{"instances": [[1, 2, 3, 4]], "instances": [[5, 6, 7, 8]]}""", "instances" },
        { "POST", "api/models/dup/predict", """{"records": [{"float_input": [1, 2, 3, 4], "float_input": [5, 6, 7, 8]}]}""", "float_input" },
        { "POST", "api/models/dup/predict", """{"records": [{"float_input": [1, 2, 3, 4]}], "records": [{"float_input": [5, 6, 7, 8]}]}""", "records" },
        { "POST", "v2/models/dup/infer", """{"inputs": [{"name": "float_input", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4], "data": [5, 6, 7, 8]}]}""", "data" },
        { "POST", "v2/models/dup/infer", """{"id": "a", "id": "b", "inputs": [{"name": "float_input", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}""", "id" },
        { "POST", "v2/models/dup/infer", """{"inputs": [{"name": "float_input", "name": "float_input", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}""", "name" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_key_twice_in_one_object_is_a_400_naming_the_key(string method, string url, string json, string key)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "dup", "a,b\n1,x\n2,y\n"u8.ToArray(), "dup.csv")).Status);
        await ModelFiles.RegisterAsync(client, "dup", ModelFiles.IrisZipMap);
        Assert.Equal(HttpStatusCode.OK, (await DatasetHardeningTests.PutJsonAsync(client, "api/models/dup/aliases/champion", "{\"version\": 1}")).Status);

        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {url}: {(int)response.StatusCode} {body}");
        var answer = System.Text.Json.JsonDocument.Parse(body).RootElement;
        var message = answer.TryGetProperty("detail", out var detail) ? detail.GetString() : answer.GetProperty("error").GetString();
        Assert.Contains($"\"{key}\" twice", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"instances": [[1, 2, 3, 4]]}""")]
    [InlineData("""{"records": [{"float_input": [1, 2, 3, 4]}, {"float_input": [5, 6, 7, 8]}]}""")]
    public async Task The_same_key_in_sibling_objects_is_not_a_duplicate(string json)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "dup", ModelFiles.IrisZipMap);

        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("api/models/dup/predict", UriKind.Relative), content);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
