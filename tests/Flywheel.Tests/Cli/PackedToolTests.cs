using System.Text.Json;
using Flywheel.Testing;
using Flywheel.Tests.Datasets;

namespace Flywheel.Tests.Cli;

/// <summary>The CLI as users get it: packed as a .NET tool, installed with dotnet tool install, run against a LocalHost process.</summary>
public sealed class PackedToolTests
{
    [Fact]
    public async Task The_packed_tool_installs_and_pushes_and_lists_datasets_of_a_running_localhost()
    {
        var root = Path.Combine(Path.GetTempPath(), $"flywheel-tool-{Guid.NewGuid():N}");
        var packages = Path.Combine(root, "packages");
        var tools = Path.Combine(root, "tools");
        try
        {
            // The build that produced this test assembly built the tool too: pack it as it is (a nested build would take the build lock twice).
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}release", StringComparison.OrdinalIgnoreCase) ? "Release" : "Debug";
            var (packed, packOutput) = await ExternalTools.RunAsync("dotnet", "pack", Path.Combine(RepositoryRoot.Path, "src", "Flywheel.Cli"), "-c", configuration, "--no-build",
                "-o", packages, "--nologo");
            Assert.True(packed == 0, packOutput);
            Assert.Single(Directory.GetFiles(packages, "Flywheel.Cli.*.nupkg"));

            var (installed, installOutput) = await ExternalTools.RunAsync("dotnet", "tool", "install", "Flywheel.Cli", "--tool-path", tools, "--add-source", packages);
            Assert.True(installed == 0, installOutput);
            var flywheel = Path.Combine(tools, "flywheel");

            var (help, helpOutput) = await ExternalTools.RunAsync(flywheel, "--help");
            Assert.True(help == 0, helpOutput);
            Assert.Contains("datasets", helpOutput, StringComparison.Ordinal);

            await using var host = await LocalHostProcess.StartAsync(Azurite.ConnectionString,
                new Dictionary<string, string> { ["Flywheel__Storage__NamePrefix"] = $"t{Guid.NewGuid():N}"[..12] });
            var url = host.Client.BaseAddress!.ToString();
            // The URL comes from the environment here, as in a CI step.
            var environment = new Dictionary<string, string> { ["FLYWHEEL_URL"] = url };
            var (pushed, _, pushError) = await ExternalTools.RunSeparatelyAsync(flywheel, environment, "datasets", "push", DatasetFiles.Titanic, "--name", "titanic");
            Assert.True(pushed == 0, pushError);
            var (listed, list, listError) = await ExternalTools.RunSeparatelyAsync(flywheel, null, "datasets", "list", "--url", url, "-o", "json");

            Assert.True(listed == 0, listError);
            var dataset = Assert.Single(JsonDocument.Parse(list).RootElement.EnumerateArray());
            Assert.Equal("titanic", dataset.GetProperty("name").GetString());
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
