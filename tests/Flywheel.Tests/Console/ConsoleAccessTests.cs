using Flywheel.Tests.Datasets;

namespace Flywheel.Tests.Console;

/// <summary>The console makes its calls as the CLI does: with an API key set on LocalHost, the key from the tab's storage is sent on every call.</summary>
public sealed class ConsoleAccessTests
{
    private const string Key = "console-test-key";

    [Fact]
    public async Task With_reads_behind_a_key_the_pages_load_with_the_key_the_user_gave()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Access:ApiKey"] = Key, ["Flywheel:Access:ApiKeyForReads"] = "true" });
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        using var csv = DatasetFiles.Csv("a,b\n1,x\n2,y\n3,z\n");
        using var uploaded = await client.PutAsync(new Uri("api/datasets/guarded", UriKind.Relative), csv);
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());

        var result = await ConsoleBrowser.BrowseAsync(new ConsoleBrowser.Step(client.BaseAddress!.AbsoluteUri + "console/datasets/guarded", "datasets-with-key.png"), Key);

        Assert.True(result.Errors.Count == 0 && result.FailedLoads.Count == 0, string.Join("; ", result.Errors.Concat(result.FailedLoads)));
        Assert.Contains("Profile of v1", result.Text, StringComparison.Ordinal);
    }
}
