using System.Net.Http.Headers;
using Flywheel.EndToEnd.Tests.Hosts;

namespace Flywheel.EndToEnd.Tests.Scenarios;

[Collection(BothHostsCollection.Name)]
public sealed class RegistryScenarios(BothHosts hosts)
{
    [Fact]
    public Task Register_alias_patch_archive_card_and_history_answer_alike_on_both_hosts() => hosts.SameOnEveryHostAsync(async s =>
    {
        await s.PutBytesAsync("api/datasets/reg-flowers", TestFiles.Iris(200), 201);
        var raw = new ByteArrayContent(File.ReadAllBytes(TestFiles.IrisModel));
        raw.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var v1 = await s.SendAsync(HttpMethod.Post, "api/models/reg-iris/versions", raw, 201);
        Assert.Equal(1, v1.Json["version"]!.GetValue<int>());
        await ServingScenarios.Register(s, "reg-iris", [.. File.ReadAllBytes(TestFiles.IrisModel), .. "\x32\x02v2"u8.ToArray()],
            """{"featureNames": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "description": "iris v2", "dataset": {"name": "reg-flowers", "version": 1}, "runId": "run-42"}""");

        await s.PutJsonAsync("api/models/reg-iris/aliases/champion", """{"version": 1}""", 200);
        await s.PutJsonAsync("api/models/reg-iris/aliases/unknown-version", """{"version": 9}""", 404);
        await s.GetAsync("api/models", 200);
        await s.GetAsync("api/models/reg-iris", 200);
        var champion = await s.GetAsync("api/models/reg-iris/versions/champion", 200);
        Assert.Equal(1, champion.Json["version"]!.GetValue<int>());
        await s.PatchJsonAsync("api/models/reg-iris/versions/1", """{"description": "RF on iris", "tags": {"stage": "prod"}}""", 200);
        await s.GetAsync("api/models/reg-iris/versions/2/card", 200);
        var bytes = await s.GetAsync("api/models/reg-iris/versions/1/content", 200);
        Assert.Equal(File.ReadAllBytes(TestFiles.IrisModel), bytes.Body);

        await s.DeleteAsync("api/models/reg-iris/versions/1", 409);
        await s.PutJsonAsync("api/models/reg-iris/aliases/champion", """{"version": 2}""", 200);
        await s.DeleteAsync("api/models/reg-iris/versions/1", 200);
        await s.GetAsync("api/models/reg-iris/versions/1", 200);
        var history = await s.GetAsync("api/models/reg-iris/history", 200);
        Assert.Contains("champion", history.Text, StringComparison.Ordinal);
    });
}
