using Flywheel.EndToEnd.Tests.Hosts;
using Flywheel.Testing;

namespace Flywheel.EndToEnd.Tests.Scenarios;

/// <summary>
/// A file dropped in the landing container, with scripts/drop.mjs as a user would. LocalHost polls the
/// container; the Functions host hears of the drop as in Azure: a BlobCreated event in Event Grid's
/// schema posted to its blob-trigger webhook (runtime/webhooks/blobs?functionName=...).
/// </summary>
[Collection(BothHostsCollection.Name)]
public sealed class LandingScenarios(BothHosts hosts)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public Task A_dropped_file_is_versioned_and_a_poison_drop_is_quarantined_on_both_hosts() => hosts.SameOnEveryHostAsync(async s =>
    {
        var good = Path.Combine(Directory.CreateTempSubdirectory("flywheel-drop-").FullName, "titanic.csv");
        await File.WriteAllBytesAsync(good, TestFiles.Titanic);
        await DropAsync(s.Host, good, "land-titanic/titanic.csv");
        var version = await s.PollAsync("api/datasets/land-titanic/versions/1", r => r.Status == 200, Timeout);
        Assert.Equal(38, version.Json["rows"]!.GetValue<int>());

        // Not a table at all: no version, the drop kept in quarantine with the reason, and the service goes on.
        var poison = Path.Combine(Path.GetDirectoryName(good)!, "poison.csv");
        await File.WriteAllBytesAsync(poison, [0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x0a]);
        await DropAsync(s.Host, poison, "land-poison/poison.csv");
        await s.PollAsync("api/datasets/land-poison/quarantine", r => r.Status == 200 && r.Text.Contains("poison.csv", StringComparison.Ordinal), Timeout);
        await s.GetAsync("api/datasets/land-poison/versions/1", 404);
        await s.GetAsync("api/datasets/land-titanic", 200);
    });

    private static async Task DropAsync(HostUnderTest host, string file, string target)
    {
        var environment = new Dictionary<string, string> { ["AzureWebJobsStorage"] = host.Storage.ConnectionString };
        if (host.Kind == HostKind.Functions)
        {
            environment["FLYWHEEL_LANDING_WEBHOOK"] = $"{host.BaseAddress}runtime/webhooks/blobs?functionName=Host.Functions.OnLandingBlob";
            environment["FLYWHEEL_KEY"] = HostUnderTest.FunctionKey;
        }

        await using var drop = ChildProcess.Start("node", [Path.Combine(RepositoryRoot.Path, "scripts", "drop.mjs"), file, target], environment);
        var exit = await drop.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (exit != 0)
        {
            throw new ScenarioException(host, $"drop.mjs {target} exited {exit}: {drop.Output}");
        }
    }
}
