using System.Text.Json;
using Flywheel.Cli;
using Flywheel.Client;
using Flywheel.Testing;

namespace Flywheel.Tests.Cli;

/// <summary>What a CI step branches on: the exit code, and one readable line on stderr.</summary>
public sealed class ExitCodeCliTests
{
    [Fact]
    public async Task An_unknown_model_exits_3_with_one_error_line()
    {
        await using var app = new FlywheelApp();

        var result = await CliRun.RunAsync(app, "models", "show", "no-such-model");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("no-such-model", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_at_the_url_exits_1_and_asks_whether_flywheel_is_running()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";

        // The client the installed tool makes, retries and all.
        var result = await CliRun.RunAsync(options => new FlywheelClient(options), terminal: false, "datasets", "list", "--url", url);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"Is Flywheel running at {url}/?", line, StringComparison.Ordinal);
        Assert.Contains("scripts/dev.sh", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("datasets", "push", "data.csv")]
    [InlineData("datasets", "frobnicate")]
    [InlineData("deploy", "iris", "--route", "1:90")]
    [InlineData("datasets", "list", "--url", "not-a-url")]
    public async Task A_command_line_it_cannot_use_exits_2(params string[] args)
    {
        await using var app = new FlywheelApp();

        var result = await CliRun.RunAsync(app, args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    [Fact]
    public async Task Help_shows_an_example_for_every_command()
    {
        var missing = new List<string>();
        foreach (var command in new[] { "datasets push", "datasets list", "datasets show", "datasets diff", "datasets drift", "datasets contract get", "datasets contract set",
                     "models list", "models show", "models register", "models alias set", "models alias rm", "models card", "models download", "models archive", "train",
                     "pipelines list", "pipelines show", "pipelines watch", "pipelines approve", "pipelines reject", "pipelines cancel", "pipelines events", "runs list", "predict", "batch",
                     "deploy", "monitor show", "monitor run", "monitor history", "monitor report", "policy get", "policy set", "retrain status", "retrain start", "retrain promote",
                     "retrain rollback", "retrain pause", "retrain resume" })
        {
            var result = await CliRun.RunAsync(_ => throw new InvalidOperationException("help needs no client"), terminal: false, [.. command.Split(' '), "--help"]);
            if (result.ExitCode != 0 || !result.Out.Contains($"Example:\n    flywheel {command.Split(' ')[0]}", StringComparison.Ordinal))
            {
                missing.Add(command);
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public async Task The_json_of_a_list_is_an_array_of_the_contract_records()
    {
        await using var app = new FlywheelApp();

        var result = await CliRun.RunAsync(app, "models", "list");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(result.Out).RootElement.ValueKind);
    }
}
