using Flywheel.Testing;

namespace Flywheel.Tests.Hosting;

/// <summary>The README's walk-through is scripts/walkthrough.sh; it runs top to bottom against a fresh LocalHost, and the README shows its commands.</summary>
public sealed class WalkthroughTests
{
    private static string Script => Path.Combine(RepositoryRoot.Path, "scripts", "walkthrough.sh");

    [Fact]
    public async Task The_walkthrough_runs_as_written_against_a_fresh_localhost_and_again_on_the_same_storage()
    {
        var prefix = $"w{Guid.NewGuid():N}"[..10];
        await using var host = await LocalHostProcess.StartAsync(Azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Flywheel__Storage__NamePrefix"] = prefix,
            ["Flywheel__Datasets__LandingPollInterval"] = "00:00:00.200",
        });
        foreach (var run in new[] { "first", "again" })
        {
            await using var walk = ChildProcess.Start("bash", [Script], new Dictionary<string, string>
            {
                ["FLYWHEEL_URL"] = host.Client.BaseAddress!.ToString().TrimEnd('/'),
                ["FLYWHEEL_RUN"] = run,
                ["AzureWebJobsStorage"] = Azurite.ConnectionString,
                ["Flywheel__Storage__NamePrefix"] = prefix,
            });

            var exit = await walk.WaitForExitAsync(TimeSpan.FromMinutes(4));

            Assert.True(exit == 0, $"{run}: exit {exit}\n{walk.Output}\n--- LocalHost ---\n{host.Output}");
            Assert.EndsWith("walk-through complete", walk.Output.TrimEnd(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_readme_shows_every_command_of_the_walkthrough()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var lines = File.ReadAllLines(Script);
        var commands = lines.SkipWhile(l => !l.StartsWith("## Health", StringComparison.Ordinal))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l != "echo \"walk-through complete\"");

        Assert.All(commands, command => Assert.Contains(command, readme, StringComparison.Ordinal));
    }
}
