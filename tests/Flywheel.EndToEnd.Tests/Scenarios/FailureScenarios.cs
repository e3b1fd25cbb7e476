using System.Text;
using Flywheel.EndToEnd.Tests.Hosts;

namespace Flywheel.EndToEnd.Tests.Scenarios;

[Collection(BothHostsCollection.Name)]
public sealed class FailureScenarios(BothHosts hosts)
{
    [Fact]
    public Task Every_kind_of_mistake_gets_the_same_problem_json_on_both_hosts() => hosts.SameOnEveryHostAsync(async s =>
    {
        await ServingScenarios.Register(s, "err-titanic", File.ReadAllBytes(TestFiles.TitanicModel), "{}");
        await s.PutJsonAsync("api/models/err-titanic/aliases/champion", """{"version": 1}""", 200);

        await s.GetAsync("api/models/no-such-model", 404);
        await s.GetAsync("api/models/Not%20A%20Name", 400);
        await s.GetAsync("api/datasets/err-data/versions?limit=10", 400);
        await s.PutJsonAsync("api/models/err-titanic/aliases/champion", """{"version": """, 400);
        await s.PutJsonAsync("api/models/err-titanic/aliases/champion", """{"versoin": 1}""", 400);
        await s.SendAsync(HttpMethod.Post, "api/models/err-titanic/versions", new ByteArrayContent(new byte[1_200_000]), 413);
        await s.SendAsync(HttpMethod.Post, "api/models/err-titanic/versions", new ByteArrayContent("not onnx"u8.ToArray()), 422);
        await s.SendAsync(HttpMethod.Post, "api/models/err-titanic/predict", new StringContent("<rows/>", Encoding.UTF8, "application/xml"), 400);
        await s.PostJsonAsync("api/models/err-titanic/predict", """{"records": [{"pclass": 1, "age": 29, "fare": 211.3, "embarked": "S"}]}""", 400);
        await s.PostJsonAsync("api/models/err-titanic/predict", """{"records": [{"pclass": "first", "sex": "female", "age": 29, "fare": 211.3, "embarked": "S"}]}""", 400);
        await s.DeleteAsync("api/models/err-titanic/versions/1", 409);
        await s.PostJsonAsync("v2/models/no-such-model/infer", """{"inputs": []}""", 404);
        await s.PostJsonAsync("v2/models/err-titanic/infer", """{"inputs": [{"name": "pclass", "shape": [1], "datatype": "FP32"}]}""", 400);
        await s.GetAsync("api/models/err-titanic/versions/7", 404);

        // Nothing a mistake touched changed: the model still answers as before.
        await s.PostJsonAsync("api/models/err-titanic/predict", """{"records": [{"pclass": 1, "sex": "female", "age": 29, "fare": 211.3, "embarked": "S"}]}""", 200);
    });
}
