using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Datasets;

namespace Flywheel.Tests.Registry;

public sealed class ModelRegistryApiTests
{
    [Fact]
    public async Task Skl2onnx_classifier_registers_with_its_zipmap_signature_and_provenance()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await PostAsync(client, "iris", ModelFiles.Bytes(ModelFiles.IrisZipMap));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        var signature = body.GetProperty("signature");
        var input = signature.GetProperty("inputs")[0];
        Assert.Equal("float_input", input.GetProperty("name").GetString());
        Assert.Equal("float", input.GetProperty("elementType").GetString());
        Assert.Equal([-1L, 4L], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var probabilities = signature.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "output_probability");
        Assert.Equal("sequence", probabilities.GetProperty("kind").GetString());
        Assert.Equal("seq(map(int64,float))", probabilities.GetProperty("type").GetString());
        Assert.Equal("int64", probabilities.GetProperty("element").GetProperty("keyType").GetString());
        Assert.Equal("skl2onnx", signature.GetProperty("producerName").GetString());
        Assert.Equal(7, signature.GetProperty("irVersion").GetInt64());
        Assert.Contains(signature.GetProperty("opsetImports").EnumerateArray(), o => o.GetProperty("domain").GetString() == "ai.onnx.ml");
        Assert.Equal("models/iris/" + body.GetProperty("sha256").GetString() + ".onnx", body.GetProperty("contentPath").GetString());
    }

    [Theory]
    [InlineData(ModelFiles.TitanicPipeline, "sex", "string", null)]
    [InlineData(ModelFiles.XgboostRegressor, "X", "float", null)]
    [InlineData(ModelFiles.PytorchCnn, "modelInput", "float", "batch_size")]
    [InlineData(ModelFiles.CntkMnist, "Input3", "float", null)]
    [InlineData(ModelFiles.LabelEncoder, "X", "string", null)]
    public async Task Third_party_models_register_with_their_inputs(string model, string input, string elementType, string? dynamicName)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await PostAsync(client, "third-party", ModelFiles.Bytes(model));

        Assert.Equal(HttpStatusCode.Created, status);
        var spec = body.GetProperty("signature").GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("name").GetString() == input);
        Assert.Equal(elementType, spec.GetProperty("elementType").GetString());
        if (dynamicName is not null)
        {
            Assert.Equal(dynamicName, spec.GetProperty("dimensionNames")[0].GetString());
        }
    }

    [Fact]
    public async Task Unset_model_version_is_reported_as_absent_not_long_max()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (_, pytorch) = await PostAsync(client, "pytorch", ModelFiles.Bytes(ModelFiles.PytorchCnn));
        var (_, cntk) = await PostAsync(client, "cntk", ModelFiles.Bytes(ModelFiles.CntkMnist));

        Assert.False(pytorch.GetProperty("signature").TryGetProperty("modelVersion", out _));
        Assert.Equal(1, cntk.GetProperty("signature").GetProperty("modelVersion").GetInt64());
    }

    [Theory]
    [InlineData(ModelFiles.UnregisteredCustomOp, "mydomain:testgroupnorm")]
    [InlineData(ModelFiles.NoOutputs, "no outputs")]
    [InlineData(ModelFiles.GitLfsPointer, "protobuf")]
    public async Task Model_that_onnx_runtime_refuses_is_a_422_with_its_reason_and_nothing_is_stored(string model, string reason)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, body) = await PostAsync(client, "refused", ModelFiles.Bytes(model));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains(reason, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("api/models/refused", UriKind.Relative))).StatusCode);
        var container = app.Storage.Container(Flywheel.Storage.StorageNames.ModelsContainer);
        Assert.False(await container.ExistsAsync() && await container.GetBlobsAsync().GetAsyncEnumerator().MoveNextAsync(), "nothing should be stored");
    }

    [Fact]
    public async Task Truncated_model_is_refused()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var bytes = ModelFiles.Bytes(ModelFiles.TitanicPipeline);

        var (status, body) = await PostAsync(client, "truncated", bytes[..(bytes.Length / 2)]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("https://flywheel.dev/problems/invalid-model", body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Model_over_the_size_limit_is_a_413()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Registry:MaxModelBytes"] = "1000" });
        using var client = app.CreateClient();

        var (status, _) = await PostAsync(client, "big", ModelFiles.Bytes(ModelFiles.IrisZipMap));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Fact]
    public async Task Identical_bytes_return_the_existing_version_and_new_bytes_the_next()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var first = await PostAsync(client, "dedupe", ModelFiles.Bytes(ModelFiles.IrisZipMap));
        var again = await PostAsync(client, "dedupe", ModelFiles.Bytes(ModelFiles.IrisZipMap));
        var second = await PostAsync(client, "dedupe", ModelFiles.Bytes(ModelFiles.XgboostRegressor));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(1, again.Body.GetProperty("version").GetInt32());
        Assert.True(again.Body.TryGetProperty("signature", out _));
        Assert.Equal(2, second.Body.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Concurrent_registrations_get_gapless_versions()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        string[] models = [ModelFiles.IrisZipMap, ModelFiles.TitanicPipeline, ModelFiles.XgboostRegressor, ModelFiles.PytorchCnn, ModelFiles.CntkMnist, ModelFiles.LabelEncoder];

        var results = await Task.WhenAll(models.Select(m => PostAsync(client, "racing", ModelFiles.Bytes(m))));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Created, r.Status));
        Assert.Equal(Enumerable.Range(1, models.Length), results.Select(r => r.Body.GetProperty("version").GetInt32()).Order());
    }

    [Fact]
    public async Task Multipart_registration_records_metadata_and_links_the_dataset_version()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Access:TrustUserHeader"] = "true" });
        using var client = app.CreateClient();
        await DatasetApiTests.PutAsync(client, "titanic", File.ReadAllBytes(DatasetFiles.Titanic), "titanic.csv");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(ModelFiles.Bytes(ModelFiles.TitanicPipeline)), "file", "model.onnx" },
            { new StringContent("""
                {"description":"Titanic survival","tags":{"team":"risk"},"metrics":{"auc":0.87},
                 "dataset":{"name":"titanic","version":1},"runId":"run-42","featureNames":["pclass","sex","age"]}
                """, Encoding.UTF8, "application/json"), "metadata" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/models/titanic/versions") { Content = form };
        request.Headers.Add("X-Flywheel-User", "ada");

        using var response = await client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var dataset = await DatasetApiTests.GetJsonAsync(client, "api/datasets/titanic/versions/1");
        var card = await client.GetStringAsync(new Uri("api/models/titanic/versions/1/card", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Titanic survival", body.GetProperty("description").GetString());
        Assert.Equal(0.87, body.GetProperty("metrics").GetProperty("auc").GetDouble());
        Assert.Equal("run-42", body.GetProperty("runId").GetString());
        Assert.Equal("ada", body.GetProperty("createdBy").GetString());
        var link = Assert.Single(dataset.GetProperty("models").EnumerateArray());
        Assert.Equal("titanic", link.GetProperty("model").GetString());
        Assert.Equal(1, link.GetProperty("version").GetInt32());
        Assert.Contains("# Model card: titanic v1", card, StringComparison.Ordinal);
        Assert.Contains("Titanic survival", card, StringComparison.Ordinal);
        Assert.Contains("| auc | 0.87 |", card, StringComparison.Ordinal);
        Assert.Contains("Dataset `titanic` v1", card, StringComparison.Ordinal);
        Assert.Contains("| input | `sex` | `tensor(string)` | [?, 1] |", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_naming_an_unknown_dataset_is_refused()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(ModelFiles.Bytes(ModelFiles.IrisZipMap)), "file", "model.onnx" },
            { new StringContent("""{"dataset":{"name":"nowhere","version":3}}""", Encoding.UTF8, "application/json"), "metadata" },
        };

        using var response = await client.PostAsync(new Uri("api/models/orphan/versions", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Aliases_move_and_every_change_is_in_the_history()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await PostAsync(client, "aliased", ModelFiles.Bytes(ModelFiles.IrisZipMap));
        await PostAsync(client, "aliased", ModelFiles.Bytes(ModelFiles.XgboostRegressor));

        Assert.Equal(HttpStatusCode.OK, (await PutAliasAsync(client, "aliased", "champion", 1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutAliasAsync(client, "aliased", "challenger", 2)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutAliasAsync(client, "aliased", "champion", 2)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(new Uri("api/models/aliased/aliases/challenger", UriKind.Relative))).StatusCode);

        var model = await DatasetApiTests.GetJsonAsync(client, "api/models/aliased");
        var byAlias = await DatasetApiTests.GetJsonAsync(client, "api/models/aliased/versions/champion");
        var history = await DatasetApiTests.GetJsonAsync(client, "api/models/aliased/history");
        var list = await DatasetApiTests.GetJsonAsync(client, "api/models");

        Assert.Equal(2, model.GetProperty("aliases").GetProperty("champion").GetInt32());
        Assert.False(model.GetProperty("aliases").TryGetProperty("challenger", out _));
        Assert.Equal(2, model.GetProperty("versions").GetArrayLength());
        Assert.Equal(2, byAlias.GetProperty("version").GetInt32());
        Assert.Equal(["champion"], byAlias.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        var actions = history.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ToList();
        Assert.Equal(["version-created", "version-created", "alias-set", "alias-set", "alias-set", "alias-deleted"], actions);
        var moved = history.GetProperty("items")[4];
        Assert.Equal(1, moved.GetProperty("from").GetInt32());
        Assert.Equal(2, moved.GetProperty("to").GetInt32());
        var summary = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(2, summary.GetProperty("latestVersion").GetInt32());
    }

    [Fact]
    public async Task Twenty_concurrent_alias_changes_leave_a_consistent_state_and_twenty_history_entries()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await PostAsync(client, "contended", ModelFiles.Bytes(ModelFiles.IrisZipMap));
        await PostAsync(client, "contended", ModelFiles.Bytes(ModelFiles.XgboostRegressor));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => PutAliasAsync(client, "contended", "champion", (i % 2) + 1)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var history = (await DatasetApiTests.GetJsonAsync(client, "api/models/contended/history")).GetProperty("items").EnumerateArray()
            .Where(h => h.GetProperty("action").GetString() == "alias-set").ToList();
        Assert.Equal(20, history.Count);
        Assert.Equal(Enumerable.Range(3, 20).Select(i => (long)i), history.Select(h => h.GetProperty("sequence").GetInt64()));
        for (var i = 1; i < history.Count; i++)
        {
            // Each change starts from where the previous one left the alias: no lost update.
            Assert.Equal(history[i - 1].GetProperty("to").GetInt32(), history[i].GetProperty("from").GetInt32());
        }

        var model = await DatasetApiTests.GetJsonAsync(client, "api/models/contended");
        Assert.Equal(history[^1].GetProperty("to").GetInt32(), model.GetProperty("aliases").GetProperty("champion").GetInt32());
    }

    [Fact]
    public async Task A_version_that_is_not_a_number_is_a_400_on_patch_archive_and_predict()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await PostAsync(client, "numbered", ModelFiles.Bytes(ModelFiles.IrisZipMap));
        using var patch = new StringContent("""{"description":"x"}""", Encoding.UTF8, "application/json");
        using var record = new StringContent("""{"instances":[[5.1,3.5,1.4,0.2]]}""", Encoding.UTF8, "application/json");

        var responses = new[]
        {
            await client.PatchAsync(new Uri("api/models/numbered/versions/one", UriKind.Relative), patch),
            await client.DeleteAsync(new Uri("api/models/numbered/versions/-1", UriKind.Relative)),
            await client.PostAsync(new Uri("api/models/numbered/versions/1.5/predict", UriKind.Relative), record),
        };

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("is not a version", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Archiving_is_refused_while_an_alias_points_to_the_version()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await PostAsync(client, "archiving", ModelFiles.Bytes(ModelFiles.IrisZipMap));
        await PutAliasAsync(client, "archiving", "champion", 1);

        var refused = await client.DeleteAsync(new Uri("api/models/archiving/versions/1", UriKind.Relative));
        await client.DeleteAsync(new Uri("api/models/archiving/aliases/champion", UriKind.Relative));
        var archived = await client.DeleteAsync(new Uri("api/models/archiving/versions/1", UriKind.Relative));
        var aliasToArchived = await PutAliasAsync(client, "archiving", "champion", 1);
        var missing = await client.DeleteAsync(new Uri("api/models/archiving/versions/7", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("champion", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        Assert.True(JsonDocument.Parse(await archived.Content.ReadAsStringAsync()).RootElement.GetProperty("archived").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, aliasToArchived.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var actions = (await DatasetApiTests.GetJsonAsync(client, "api/models/archiving/history")).GetProperty("items").EnumerateArray().Select(h => h.GetProperty("action").GetString());
        Assert.Contains("version-archived", actions);
    }

    [Fact]
    public async Task Patch_updates_description_and_tags_and_content_streams_the_bytes()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var bytes = ModelFiles.Bytes(ModelFiles.LabelEncoder);
        var (_, created) = await PostAsync(client, "patched", bytes);
        using var patch = new StringContent("""{"description":"maps letters","tags":{"stage":"dev"}}""", Encoding.UTF8, "application/json");

        var patched = await client.PatchAsync(new Uri("api/models/patched/versions/1", UriKind.Relative), patch);
        using var content = await client.GetAsync(new Uri("api/models/patched/versions/latest/content", UriKind.Relative));
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "api/models/patched/versions/1/content");
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{created.GetProperty("sha256").GetString()}\""));
        using var notModified = await client.SendAsync(conditional);

        var body = JsonDocument.Parse(await patched.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("maps letters", body.GetProperty("description").GetString());
        Assert.Equal("dev", body.GetProperty("tags").GetProperty("stage").GetString());
        Assert.Equal(bytes, await content.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Theory]
    [InlineData("api/models/Bad_Name/versions")]
    [InlineData("api/models/ok-name/aliases/9lives")]
    public async Task Invalid_names_are_400_problems(string url)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        using var body = new StringContent("""{"version":1}""", Encoding.UTF8, "application/json");

        using var response = url.Contains("aliases", StringComparison.Ordinal)
            ? await client.PutAsync(new Uri(url, UriKind.Relative), body)
            : await client.PostAsync(new Uri(url, UriKind.Relative), new ByteArrayContent(ModelFiles.Bytes(ModelFiles.IrisZipMap)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<HttpResponseMessage> PutAliasAsync(HttpClient client, string model, string alias, int version)
    {
        using var body = new StringContent($$"""{"version":{{version}}}""", Encoding.UTF8, "application/json");
        return await client.PutAsync(new Uri($"api/models/{model}/aliases/{alias}", UriKind.Relative), body);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string name, byte[] model)
    {
        using var content = new ByteArrayContent(model);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync(new Uri($"api/models/{name}/versions", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(string.IsNullOrEmpty(text) ? "{}" : text).RootElement.Clone());
    }
}
