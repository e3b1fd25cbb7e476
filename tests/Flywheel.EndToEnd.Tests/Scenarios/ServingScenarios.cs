using System.Net.Http.Headers;
using System.Text;
using Flywheel.EndToEnd.Tests.Hosts;

namespace Flywheel.EndToEnd.Tests.Scenarios;

[Collection(BothHostsCollection.Name)]
public sealed class ServingScenarios(BothHosts hosts)
{
    private const string Iris = """{"records": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}""";

    [Fact]
    public Task Records_oip_pinned_versions_aliases_a_weighted_deployment_with_shadow_and_feedback_answer_alike_on_both_hosts() => hosts.SameOnEveryHostAsync(async s =>
    {
        await Register(s, "srv-iris", File.ReadAllBytes(TestFiles.IrisModel), """{"featureNames": ["sepal_length", "sepal_width", "petal_length", "petal_width"]}""");
        await Register(s, "srv-iris", [.. File.ReadAllBytes(TestFiles.IrisModel), .. "\x32\x02v2"u8.ToArray()], """{"featureNames": ["sepal_length", "sepal_width", "petal_length", "petal_width"]}""");
        await Register(s, "srv-titanic", File.ReadAllBytes(TestFiles.TitanicModel), """{"description": "Titanic survival"}""");

        var titanic = await s.PostJsonAsync("api/models/srv-titanic/predict", """{"records": [{"pclass": 1, "sex": "female", "age": 29, "fare": 211.3, "embarked": "S"}, {"pclass": 3, "sex": "male", "age": null, "fare": 7.25, "embarked": "S"}]}""", 200);
        Assert.Equal("1", titanic.Header("X-Model-Version"));
        await s.PutJsonAsync("api/models/srv-iris/aliases/champion", """{"version": 1}""", 200);
        await s.PostJsonAsync("api/models/srv-iris/versions/champion/predict", Iris, 200);
        await s.PostJsonAsync("api/models/srv-iris/versions/2/predict", Iris, 200);
        await s.PostJsonAsync("api/models/srv-iris/versions/latest/predict", """{"instances": [[6.7, 3.0, 5.2, 2.3]]}""", 200);
        await s.PostJsonAsync("api/models/srv-titanic/predict", """{"records": [{"id": 7, "pclass": 1, "sex": "female", "age": 29, "fare": 211.3, "embarked": "S", "survived": 1}]}""", 400);
        var ignored = await s.PostJsonAsync("api/models/srv-titanic/predict", """{"extraColumns": "ignore", "records": [{"id": 7, "pclass": 1, "sex": "female", "age": 29, "fare": 211.3, "embarked": "S", "survived": 1}]}""", 200);
        s.Note($"X-Ignored-Columns {ignored.Header("X-Ignored-Columns")}");
        await s.SendAsync(HttpMethod.Post, "api/models/srv-titanic/predict?extraColumns=ignore",
            new StringContent("id,pclass,sex,age,fare,embarked,survived\n7,1,female,29,211.3,S,1\n8,3,male,,7.25,\"Q\",0\n", Encoding.UTF8, "text/csv"), 200);

        await s.GetAsync("v2/models/srv-iris", 200);
        var infer = await s.PostJsonAsync("v2/models/srv-iris/infer", """{"id": "42", "inputs": [{"name": "float_input", "shape": [2, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]}]}""", 200);
        Assert.Equal("42", infer.Json["id"]!.GetValue<string>());
        await s.PostJsonAsync("v2/models/srv-iris/versions/2/infer", """{"inputs": [{"name": "float_input", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}]}""", 200);
        await s.GetAsync("v2/health/ready", 200);
        await s.GetAsync("v2/models/srv-iris/ready", 200);

        // Sticky routing: the same user id reaches the same version on every host and every instance.
        await s.PutJsonAsync("api/models/srv-iris/deployment", """{"routes": [{"version": 1, "weight": 50}, {"version": 2, "weight": 50}], "shadow": {"version": 2, "sample": 1.0}, "sticky": "X-User-Id"}""", 200);
        foreach (var user in new[] { "ana", "ben", "chloe", "dev", "eve", "farid" })
        {
            var routed = await s.SendAsync(HttpMethod.Post, "api/models/srv-iris/predict", new StringContent(Iris, Encoding.UTF8, "application/json"), 200, new Dictionary<string, string> { ["X-User-Id"] = user });
            s.Note($"{user} -> version {routed.Header("X-Model-Version")}");
        }

        await s.PutJsonAsync("api/models/srv-iris/aliases/challenger", """{"version": 2}""", 200);
        await s.PutJsonAsync("api/models/srv-iris/deployment", """{"routes": [{"version": "champion", "weight": 90}, {"version": "challenger", "weight": 10}]}""", 200);
        var deployment = await s.GetAsync("api/models/srv-iris/deployment", 200);
        Assert.Contains("resolved", deployment.Text, StringComparison.Ordinal);
        await s.PutJsonAsync("api/models/srv-iris/deployment", """{"routes": [{"version": "nobody", "weight": 100}]}""", 404);

        var logged = await s.PostJsonAsync("api/models/srv-iris/versions/1/predict", """{"instances": [[6.7, 3.0, 5.2, 2.3]]}""", 200);
        var requestId = logged.Header("X-Request-Id") ?? throw new InvalidOperationException("No X-Request-Id on a prediction.");
        await s.PostJsonAsync("api/models/srv-iris/feedback", $$"""{"requestId": "{{requestId}}", "actual": 2}""", 202);
        await s.PostJsonAsync("api/models/srv-iris/feedback", """{"actual": 2}""", 400);
        await s.DeleteAsync("api/models/srv-iris/deployment", 204);
        var back = await s.PostJsonAsync("api/models/srv-iris/predict", Iris, 200);
        Assert.Equal("1", back.Header("X-Model-Version"));
    });

    internal static Task<Reply> Register(Session s, string model, byte[] onnx, string metadata)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(onnx);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "model.onnx");
        form.Add(new StringContent(metadata, Encoding.UTF8, "application/json"), "metadata");
        return s.SendAsync(HttpMethod.Post, $"api/models/{model}/versions", form, 201);
    }
}
