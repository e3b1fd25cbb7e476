using Flywheel.EndToEnd.Tests.Hosts;
using Flywheel.Testing;

namespace Flywheel.EndToEnd.Tests.Scenarios;

/// <summary>
/// The README's walk-through (scripts/walkthrough.sh) unchanged against the Functions app under the
/// Functions host, as `scripts/dev.sh --functions` runs it: every curl with the key, every landing
/// drop delivered to the blob webhook. Flywheel.Tests runs the same script against LocalHost.
/// </summary>
public sealed class WalkthroughOnFunctionsHostTests
{
    [Fact]
    public async Task The_walkthrough_runs_as_written_against_the_functions_host()
    {
        await using var host = await HostUnderTest.StartAsync(HostKind.Functions);
        await using var walk = ChildProcess.Start("bash", [Path.Combine(RepositoryRoot.Path, "scripts", "walkthrough.sh")], new Dictionary<string, string>
        {
            ["FLYWHEEL_URL"] = host.BaseAddress.ToString().TrimEnd('/'),
            ["FLYWHEEL_KEY"] = HostUnderTest.FunctionKey,
            ["FLYWHEEL_RUN"] = "functions",
            ["AzureWebJobsStorage"] = host.Storage.ConnectionString,
        });

        var exit = await walk.WaitForExitAsync(TimeSpan.FromMinutes(6));

        Assert.True(exit == 0, $"exit {exit}\n{walk.Output}\n--- Functions host (tail) ---\n{host.OutputTail(150)}");
        Assert.EndsWith("walk-through complete", walk.Output.TrimEnd(), StringComparison.Ordinal);
    }
}
