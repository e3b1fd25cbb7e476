using System.Text.Json;
using Flywheel.Cli;
using Flywheel.Tests.Datasets;

namespace Flywheel.Tests.Cli;

/// <summary><c>flywheel datasets ...</c> in process against LocalHost on Azurite: JSON output, the quarantine report, progress only on a terminal.</summary>
public sealed class DatasetsCliTests
{
    [Fact]
    public async Task Datasets_push_list_and_show_write_the_versions_as_json()
    {
        await using var app = new FlywheelApp();

        var pushed = (await CliRun.RunAsync(app, "datasets", "push", DatasetFiles.Titanic, "--name", "titanic", "-o", "json")).Json;
        var list = (await CliRun.RunAsync(app, "datasets", "list", "-o", "json")).Json;
        var shown = (await CliRun.RunAsync(app, "datasets", "show", "titanic", "-o", "json")).Json;
        var first = (await CliRun.RunAsync(app, "datasets", "show", "titanic", "--version", "1")).Json;

        Assert.Equal("titanic", pushed.GetProperty("dataset").GetString());
        Assert.Equal(1, pushed.GetProperty("version").GetInt32());
        // The file has a header line and 38 passengers.
        Assert.Equal(38, pushed.GetProperty("rows").GetInt64());
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        Assert.Equal("titanic", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(1, list[0].GetProperty("latestVersion").GetInt32());
        Assert.Equal(pushed.GetProperty("sha256").GetString(), shown.GetProperty("sha256").GetString());
        Assert.Equal(38, shown.GetProperty("rows").GetInt64());
        Assert.Contains(shown.GetProperty("schema").EnumerateArray(), c => c.GetProperty("name").GetString() == "survived");
        // Without -o and without a terminal the output is JSON too.
        Assert.Equal(1, first.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_push_the_contract_rejects_prints_the_quarantine_reasons_and_exits_4()
    {
        await using var app = new FlywheelApp();
        var contract = Path.Combine(Path.GetTempPath(), $"contract-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(contract, """{"minRows": 100000}""");
        try
        {
            Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(app, "datasets", "push", DatasetFiles.Titanic, "--name", "titanic")).ExitCode);
            var set = (await CliRun.RunAsync(app, "datasets", "contract", "set", "titanic", "--file", contract, "-o", "json")).Json;
            Assert.Equal(100000, set.GetProperty("minRows").GetInt64());

            var rejected = await CliRun.RunAsync(app, "datasets", "push", DatasetFiles.Iris, "--name", "titanic");

            Assert.Equal(ExitCodes.Rejected, rejected.ExitCode);
            Assert.Equal(string.Empty, rejected.Out);
            var lines = rejected.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("error: The file was not versioned", lines[0], StringComparison.Ordinal);
            Assert.Contains(lines.Skip(1), l => l.StartsWith("  - ", StringComparison.Ordinal) && l.Contains("100000", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(contract);
        }
    }

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    [InlineData(false, false, false)]
    public async Task A_push_draws_its_progress_bar_only_on_a_terminal_without_no_progress(bool terminal, bool noProgress, bool drawn)
    {
        await using var app = new FlywheelApp();
        string[] args = ["datasets", "push", DatasetFiles.Titanic, "--name", "titanic", "-o", "json", .. noProgress ? new[] { "--no-progress" } : []];

        var result = await CliRun.RunAsync(CliRun.Over(app), terminal, args);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(drawn, result.Out.Contains("Uploading small_titanic.csv", StringComparison.Ordinal));
        if (!drawn)
        {
            // Nothing but the version's JSON: a script can parse stdout as it is.
            Assert.Equal(1, JsonDocument.Parse(result.Out).RootElement.GetProperty("version").GetInt32());
        }
    }
}
