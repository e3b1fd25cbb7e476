using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Access;

public sealed class AccessTests
{
    [Fact]
    public async Task With_an_api_key_set_changes_need_it_and_reads_predictions_and_health_do_not()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Access:ApiKey"] = "s3cret" });
        using var client = app.CreateClient();

        using var anonymous = new ByteArrayContent(ModelFiles.Bytes(ModelFiles.IrisZipMap));
        using var refused = await client.PostAsync(new Uri("api/models/iris/versions", UriKind.Relative), anonymous);
        using var keyed = new HttpRequestMessage(HttpMethod.Post, "api/models/iris/versions") { Content = new ByteArrayContent(ModelFiles.Bytes(ModelFiles.IrisZipMap)) };
        keyed.Headers.Add("X-Api-Key", "s3cret");

        // The console, the client and the CLI send the key in both headers: the one this host checked names the caller.
        keyed.Headers.Add("x-functions-key", "s3cret");
        using var accepted = await client.SendAsync(keyed);
        using var wrong = new HttpRequestMessage(HttpMethod.Delete, "api/models/iris/aliases/champion");
        wrong.Headers.Add("X-Api-Key", "guess");
        using var wrongKey = await client.SendAsync(wrong);
        using var predict = new StringContent("""{"inputs": [[5.1, 3.5, 1.4, 0.2]]}""", Encoding.UTF8, "application/json");
        using var prediction = await client.PostAsync(new Uri("api/models/iris/predict", UriKind.Relative), predict);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Api-Key", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal("api-key", JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("createdBy").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, prediction.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("api/models/iris", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("api/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_user_header_is_not_the_audit_identity_unless_trusted()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/models/iris/versions") { Content = new ByteArrayContent(ModelFiles.Bytes(ModelFiles.IrisZipMap)) };
        request.Headers.Add("X-Flywheel-User", "mallory");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "mallory@contoso.com");

        using var response = await client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(body.TryGetProperty("createdBy", out _), body.GetRawText());
    }

    [Theory]
    [InlineData("description", 8_001, "description has 8,001 characters; the limit is 8,000")]
    [InlineData("tags", 101, "101 tags; the limit is 100")]
    [InlineData("metrics", 201, "201 metrics; the limit is 200")]
    [InlineData("featureNames", 1_001, "featureNames: at most 1,000")]
    public async Task Registration_metadata_beyond_a_limit_is_a_422_naming_it_and_registers_nothing(string field, int size, string expected)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var value = field switch
        {
            "description" => JsonSerializer.Serialize(new string('d', size)),
            "tags" => JsonSerializer.Serialize(Enumerable.Range(0, size).ToDictionary(i => $"k{i}", i => "v")),
            "metrics" => JsonSerializer.Serialize(Enumerable.Range(0, size).ToDictionary(i => $"m{i}", i => 0.5)),
            _ => JsonSerializer.Serialize(Enumerable.Range(0, size).Select(i => $"f{i}")),
        };
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(ModelFiles.Bytes(ModelFiles.IrisZipMap)), "file", "model.onnx" },
            { new StringContent($"{{\"{field}\": {value}}}", Encoding.UTF8, "application/json"), "metadata" },
        };

        using var response = await client.PostAsync(new Uri("api/models/limits/versions", UriKind.Relative), form);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("api/models/limits", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_patch_beyond_the_description_limit_is_a_422_and_the_version_is_unchanged()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "patched", ModelFiles.IrisZipMap);
        using var patch = new StringContent(JsonSerializer.Serialize(new { description = new string('x', 100_000) }), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

        using var response = await client.PatchAsync(new Uri("api/models/patched/versions/1", UriKind.Relative), patch);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var version = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/models/patched/versions/1", UriKind.Relative))).RootElement;
        Assert.False(version.TryGetProperty("description", out _));
    }

    [Fact]
    public async Task Two_file_parts_in_one_registration_are_a_400()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(ModelFiles.Bytes(ModelFiles.IrisZipMap)), "file", "a.onnx" },
            { new ByteArrayContent(ModelFiles.Bytes(ModelFiles.TitanicPipeline)), "file", "b.onnx" },
        };

        using var response = await client.PostAsync(new Uri("api/models/twice/versions", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than one file part", await response.Content.ReadAsStringAsync());
    }
}
