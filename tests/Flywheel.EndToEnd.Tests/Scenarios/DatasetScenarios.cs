using Flywheel.EndToEnd.Tests.Hosts;

namespace Flywheel.EndToEnd.Tests.Scenarios;

[Collection(BothHostsCollection.Name)]
public sealed class DatasetScenarios(BothHosts hosts)
{
    [Fact]
    public Task Upload_dedupe_contract_quarantine_diff_and_drift_answer_alike_on_both_hosts() => hosts.SameOnEveryHostAsync(async s =>
    {
        var first = await s.PutBytesAsync("api/datasets/adult", TestFiles.Adult(1500), 201, "adult.csv");
        Assert.Equal(1, first.Json["version"]!.GetValue<int>());
        await s.PutBytesAsync("api/datasets/adult", TestFiles.Adult(1500), 200, "again.csv");
        var second = await s.PutBytesAsync("api/datasets/adult", TestFiles.Adult(3000), 201, "adult-3k.csv");
        Assert.Equal(2, second.Json["version"]!.GetValue<int>());

        await s.GetAsync("api/datasets", 200);
        await s.GetAsync("api/datasets/adult", 200);
        await s.GetAsync("api/datasets/adult/versions", 200);
        await s.GetAsync("api/datasets/adult/versions/latest", 200);
        var content = await s.GetAsync("api/datasets/adult/versions/1/content", 200);
        Assert.Equal(TestFiles.Adult(1500), content.Body);
        await s.GetAsync("api/datasets/adult/diff?from=1&to=2", 200);
        var drift = await s.GetAsync("api/datasets/adult/drift?reference=1&current=2", 200);
        Assert.NotNull(drift.Json["columns"] ?? drift.Json["features"]);
        var html = await s.GetAsync("api/datasets/adult/drift?reference=1&current=2&method=psi&format=html", 200);
        Assert.Equal("text/html", html.MediaType);

        await s.PutJsonAsync("api/datasets/adult/contract", """{"columns": {"age": {"type": "integer", "nullable": false, "min": 0, "max": 120}}, "minRows": 1000}""", 200);
        var broken = await s.PutBytesAsync("api/datasets/adult", TestFiles.Adult(10), 422, "adult-10.csv");
        Assert.Equal("application/problem+json", broken.MediaType);
        var quarantine = await s.GetAsync("api/datasets/adult/quarantine", 200);
        Assert.Contains("adult-10.csv", quarantine.Text, StringComparison.Ordinal);
        await s.GetAsync("api/datasets/adult/versions/3", 404);
    });
}
