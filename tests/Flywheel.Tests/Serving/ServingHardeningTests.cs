using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Serving;

/// <summary>Serving requests that used to be a bare 500, a silent acceptance or an inconsistency between routes.</summary>
public sealed class ServingHardeningTests
{
    private static readonly byte[] s_invalidUtf8 = [0xC3, 0x28];

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string url, byte[] body)
    {
        var (status, text, _) = await SendForVersionAsync(client, method, url, body);
        return (status, text);
    }

    private static async Task<(HttpStatusCode Status, string Body, string? Version)> SendForVersionAsync(HttpClient client, HttpMethod method, string url, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(method, url) { Content = content };
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues("X-Model-Version", out var versions) ? versions.Single() : null);
    }

    private static byte[] WithInvalidUtf8(string before, string after) => [.. Encoding.UTF8.GetBytes(before), .. s_invalidUtf8, .. Encoding.UTF8.GetBytes(after)];

    [Theory]
    [InlineData("api/models/iris/predict", "{\"records\": [{\"k\": \"a", "\"}]}")]
    [InlineData("api/models/iris/predict", "{\"records\": [{\"", "\": 1}]}")]
    [InlineData("v2/models/iris/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"", "\"]}]}")]
    [InlineData("api/models/iris/feedback", "{\"requestId\": \"abc\", \"actual\": \"", "\"}")]
    [InlineData("api/models/iris/deployment", "{\"sticky\": \"", "\", \"routes\": [{\"version\": 1, \"weight\": 1}]}")]
    public async Task Invalid_utf8_inside_json_is_a_400_naming_the_byte(string url, string before, string after)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);

        var (status, body) = await SendAsync(client, url.EndsWith("deployment", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post, url, WithInvalidUtf8(before, after));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"not valid UTF-8 at byte {Encoding.UTF8.GetByteCount(before)}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pinned_predict_and_infer_take_latest_and_aliases_like_the_version_route()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisSecondVersion());
        await SendAsync(client, HttpMethod.Put, "api/models/iris/aliases/champion", """{"version": 1}"""u8.ToArray());
        var record = """{"instances": [[5.1, 3.5, 1.4, 0.2]]}"""u8.ToArray();
        var tensor = """{"inputs": [{"name": "float_input", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}]}"""u8.ToArray();

        var champion = await SendForVersionAsync(client, HttpMethod.Post, "api/models/iris/versions/champion/predict", record);
        var latest = await SendForVersionAsync(client, HttpMethod.Post, "api/models/iris/versions/latest/predict", record);
        var oip = await SendAsync(client, HttpMethod.Post, "v2/models/iris/versions/champion/infer", tensor);
        var unknown = await SendAsync(client, HttpMethod.Post, "api/models/iris/versions/staging/predict", record);

        Assert.Equal(HttpStatusCode.OK, champion.Status);
        Assert.Equal("1", champion.Version);
        Assert.Equal("2", latest.Version);
        Assert.Equal(HttpStatusCode.OK, oip.Status);
        Assert.Equal("1", JsonDocument.Parse(oip.Body).RootElement.GetProperty("model_version").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task An_archived_version_no_longer_serves_even_when_loaded()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisSecondVersion());
        var record = """{"instances": [[5.1, 3.5, 1.4, 0.2]]}"""u8.ToArray();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, "api/models/iris/versions/1/predict", record)).Status);

        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync(new Uri("api/models/iris/versions/1", UriKind.Relative))).StatusCode);
        var pinned = await SendAsync(client, HttpMethod.Post, "api/models/iris/versions/1/predict", record);
        var oip = await SendAsync(client, HttpMethod.Post, "v2/models/iris/versions/1/infer",
            """{"inputs": [{"name": "float_input", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}]}"""u8.ToArray());

        Assert.Equal(HttpStatusCode.NotFound, pinned.Status);
        Assert.Contains("archived", pinned.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, oip.Status);
        Assert.Contains("archived", oip.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_on_one_instance_stops_another_instance_serving_the_version_it_has_loaded()
    {
        var fast = new Dictionary<string, string?> { ["Flywheel:Serving:DeploymentCacheDuration"] = "00:00:00.100" };
        await using var first = new FlywheelApp(fast);
        await using var second = new FlywheelApp(new Dictionary<string, string?>(fast) { ["Flywheel:Storage:NamePrefix"] = first.Prefix });
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        await ModelFiles.RegisterAsync(a, "iris", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(a, "iris", ModelFiles.IrisSecondVersion());
        var record = """{"instances": [[5.1, 3.5, 1.4, 0.2]]}"""u8.ToArray();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(b, HttpMethod.Post, "api/models/iris/versions/1/predict", record)).Status);

        Assert.Equal(HttpStatusCode.OK, (await a.DeleteAsync(new Uri("api/models/iris/versions/1", UriKind.Relative))).StatusCode);
        // The other instance's cached target is stale for up to DeploymentCacheDuration, then refreshed in the background.
        var answer = (Status: HttpStatusCode.OK, Body: string.Empty);
        for (var attempt = 0; attempt < 50 && answer.Status == HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(100);
            answer = await SendAsync(b, HttpMethod.Post, "api/models/iris/versions/1/predict", record);
        }

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Contains("archived", answer.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(b, HttpMethod.Post, "api/models/iris/versions/2/predict", record)).Status);
    }

    [Fact]
    public async Task A_deployment_mixing_input_signatures_is_a_409_naming_the_inputs_unless_allowed()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "mixed", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "mixed", ModelFiles.TitanicPipeline);

        var refused = await SendAsync(client, HttpMethod.Put, "api/models/mixed/deployment", """{"routes": [{"version": 1, "weight": 1}], "shadow": {"version": 2}}"""u8.ToArray());
        var allowed = await SendAsync(client, HttpMethod.Put, "api/models/mixed/deployment",
            """{"routes": [{"version": 1, "weight": 1}], "shadow": {"version": 2}, "allowSignatureChange": true}"""u8.ToArray());

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("input 'float_input'", refused.Body, StringComparison.Ordinal);
        Assert.Contains("allowSignatureChange", refused.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
    }

    [Theory]
    [InlineData("""{"routes": [{"version": "not an alias!", "weight": 1}]}""", "$.routes[0].version: expected a version")]
    [InlineData("""{"routes": [{"version": 1.5, "weight": 1}]}""", "$.routes[0].version: expected a version")]
    [InlineData("""{"routes": [{"version": 1, "weight": 1}], "shadows": {}}""", "$.shadows: unknown key")]
    [InlineData("""{"routes": [{"version": 0, "weight": 1}]}""", "$.routes[0].version: expected a version")]
    [InlineData("""{"routes": []}""", "DELETE the deployment")]
    public async Task A_bad_deployment_names_the_field_in_json_terms(string deployment, string expected)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);

        var (status, body) = await SendAsync(client, HttpMethod.Put, "api/models/iris/deployment", Encoding.UTF8.GetBytes(deployment));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, body, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Flywheel.", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nosuchmodel", """{"requestId": "0123456789abcdef0123456789abcdef", "actual": 1}""", HttpStatusCode.NotFound)]
    [InlineData("iris", """{"requestId": "<X-Request-Id>", "actual": 1}""", HttpStatusCode.BadRequest)]
    [InlineData("iris", """{"requestId": "0123456789abcdef0123456789abcdef"}""", HttpStatusCode.BadRequest)]
    [InlineData("iris", """{"requestId": "0123456789abcdef0123456789abcdef", "actual": 1}""", HttpStatusCode.Accepted)]
    public async Task Feedback_is_accepted_only_for_a_model_and_request_id_that_can_exist(string model, string body, HttpStatusCode expected)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);

        var (status, text) = await SendAsync(client, HttpMethod.Post, $"api/models/{model}/feedback", Encoding.UTF8.GetBytes(body));

        Assert.True(expected == status, text);
    }

    [Fact]
    public async Task An_oip_shape_too_large_to_count_is_a_400_not_a_negative_count()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);

        var (status, body) = await SendAsync(client, HttpMethod.Post, "v2/models/iris/infer",
            """{"inputs": [{"name": "float_input", "shape": [4294967296, 4294967296], "datatype": "FP32", "data": [1, 2, 3, 4]}]}"""u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.DoesNotContain("-", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!.Split("holds")[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/datasets")]
    [InlineData("api/models")]
    [InlineData("api/models/iris")]
    [InlineData("api/models/iris/history")]
    public async Task A_continuation_token_that_was_not_handed_out_is_a_400(string list)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);

        using var response = await client.GetAsync(new Uri($"{list}?continuationToken=garbage", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("continuationToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
