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

    [Fact]
    public async Task Datasets_diff_and_drift_compare_two_versions_as_json()
    {
        await using var app = new FlywheelApp();
        var half = Path.Combine(Path.GetTempPath(), $"titanic-half-{Guid.NewGuid():N}.csv");
        // The header and the first 20 passengers: a second version with fewer rows and the same schema.
        await File.WriteAllLinesAsync(half, (await File.ReadAllLinesAsync(DatasetFiles.Titanic)).Take(21));
        try
        {
            Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(app, "datasets", "push", DatasetFiles.Titanic, "--name", "titanic")).ExitCode);
            Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(app, "datasets", "push", half, "--name", "titanic")).ExitCode);

            var diff = (await CliRun.RunAsync(app, "datasets", "diff", "titanic", "--from", "1", "--to", "2", "-o", "json")).Json;
            var drift = (await CliRun.RunAsync(app, "datasets", "drift", "titanic", "--reference", "1", "--current", "2", "-o", "json")).Json;

            Assert.Equal((1, 2), (diff.GetProperty("from").GetInt32(), diff.GetProperty("to").GetInt32()));
            Assert.Equal(38, diff.GetProperty("rows").GetProperty("from").GetDouble());
            Assert.Equal(20, diff.GetProperty("rows").GetProperty("to").GetDouble());
            Assert.True(diff.GetProperty("columns").TryGetProperty("survived", out _), diff.ToString());
            Assert.Equal(38, drift.GetProperty("reference").GetProperty("rows").GetInt64());
            Assert.Equal(20, drift.GetProperty("current").GetProperty("rows").GetInt64());
            Assert.Equal(2, drift.GetProperty("current").GetProperty("version").GetInt32());
            Assert.NotEqual(0, drift.GetProperty("columnResults").GetArrayLength());
        }
        finally
        {
            File.Delete(half);
        }
    }

    [Fact]
    public async Task Contract_set_from_a_file_is_what_contract_get_reads_back()
    {
        await using var app = new FlywheelApp();
        var contract = Path.Combine(Path.GetTempPath(), $"contract-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(contract, """{"minRows": 10, "maxMissingRate": 0.5, "columns": {"survived": {"type": "integer", "nullable": false}}}""");
        try
        {
            Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(app, "datasets", "push", DatasetFiles.Titanic, "--name", "titanic")).ExitCode);

            var set = (await CliRun.RunAsync(app, "datasets", "contract", "set", "titanic", "--file", contract, "-o", "json")).Json;
            var got = (await CliRun.RunAsync(app, "datasets", "contract", "get", "titanic", "-o", "json")).Json;

            Assert.Equal(10, got.GetProperty("minRows").GetInt64());
            Assert.Equal(0.5, got.GetProperty("maxMissingRate").GetDouble());
            Assert.False(got.GetProperty("columns").GetProperty("survived").GetProperty("nullable").GetBoolean());
            Assert.Equal(set.ToString(), got.ToString());
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
