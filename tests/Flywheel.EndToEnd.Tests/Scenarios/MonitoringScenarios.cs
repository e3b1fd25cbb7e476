using Flywheel.EndToEnd.Tests.Hosts;

namespace Flywheel.EndToEnd.Tests.Scenarios;

[Collection(BothHostsCollection.Name)]
public sealed class MonitoringScenarios(BothHosts hosts)
{
    [Fact]
    public Task Settings_an_on_demand_run_and_its_reports_answer_alike_on_both_hosts() => hosts.SameOnEveryHostAsync(async s =>
    {
        await s.PutBytesAsync("api/datasets/mon-titanic", TestFiles.Titanic, 201);
        await ServingScenarios.Register(s, "mon-titanic", File.ReadAllBytes(TestFiles.TitanicModel), """{"dataset": {"name": "mon-titanic", "version": 1}}""");
        foreach (var (sex, age) in new[] { ("female", 29), ("male", 40), ("male", 2), ("female", 60) })
        {
            await s.PostJsonAsync("api/models/mon-titanic/predict", $$"""{"records": [{"pclass": 1, "sex": "{{sex}}", "age": {{age}}, "fare": 30.5, "embarked": "S"}]}""", 200);
        }

        // The prediction log is written in batches; the run must see all four on both hosts.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await s.GetAsync("api/models/mon-titanic/monitoring", 404);
        await s.PutJsonAsync("api/models/mon-titanic/monitoring", """{"schedule": "0 0 * * * *", "window": "PT24H", "minRows": 1, "methods": {"categorical": "jensenshannon"}}""", 201);
        await s.GetAsync("api/models/mon-titanic/monitoring", 200);
        await s.PutJsonAsync("api/models/mon-titanic/monitoring", """{"window": "P400D"}""", 400);
        var run = await s.PostJsonAsync("api/models/mon-titanic/drift/run", "{}", 200);
        var id = run.Json["id"]!.GetValue<string>();
        Assert.Equal(4, run.Json["inputs"]!["current"]!["rows"]!.GetValue<int>());
        var latest = await s.GetAsync("api/models/mon-titanic/drift", 200);
        Assert.Equal(id, latest.Json["id"]!.GetValue<string>());
        await s.GetAsync("api/models/mon-titanic/drift/history?from=2026-01-01T00:00:00Z", 200);
        await s.GetAsync($"api/models/mon-titanic/drift/reports/{id}.html", 200);
        await s.GetAsync("api/models/mon-titanic/drift/reports/19990101T000000Z.html", 404);
    });
}
