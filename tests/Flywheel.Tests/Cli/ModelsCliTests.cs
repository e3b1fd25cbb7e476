using System.Text.Json;
using Flywheel.Api;
using Flywheel.Cli;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Cli;

/// <summary><c>flywheel models ...</c> and <c>flywheel predict</c> on real registered ONNX models.</summary>
public sealed class ModelsCliTests
{
    // The titanic pipeline's inputs, columns in another order than the model's, a missing age.
    private const string TitanicRows = "embarked,sex,pclass,age,fare\nS,female,1,29,211.3\nQ,male,3,,7.25\nS,male,1,45,80\n";

    [Fact]
    public async Task Models_list_show_and_alias_set_read_and_move_the_registry()
    {
        await using var app = new FlywheelApp();
        using (var client = app.CreateClient())
        {
            await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);
            await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisSecondVersion());
        }

        var list = (await CliRun.RunAsync(app, "models", "list", "-o", "json")).Json;
        var moved = (await CliRun.RunAsync(app, "models", "alias", "set", "iris", "champion", "1", "-o", "json")).Json;
        var shown = (await CliRun.RunAsync(app, "models", "show", "iris", "-o", "json")).Json;
        var table = await CliRun.RunAsync(app, "models", "show", "iris", "-o", "table");

        var iris = Assert.Single(list.EnumerateArray());
        Assert.Equal("iris", iris.GetProperty("name").GetString());
        Assert.Equal(2, iris.GetProperty("latestVersion").GetInt32());
        Assert.Equal(1, moved.GetProperty("to").GetInt32());
        Assert.Equal(1, shown.GetProperty("aliases").GetProperty("champion").GetInt32());
        Assert.Equal([1, 2], shown.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(ExitCodes.Ok, table.ExitCode);
        Assert.Contains("champion=1", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_show_lists_every_version_past_the_first_page_the_api_answers()
    {
        await using var app = new FlywheelApp();
        var versions = Paging.DefaultPageSize + 2;
        using (var client = app.CreateClient())
        {
            var bytes = ModelFiles.Bytes(ModelFiles.IrisZipMap);
            for (var i = 0; i < versions; i++)
            {
                // The registry answers the same bytes with the version it has: an empty field (7, length 0) per version makes each file new.
                await ModelFiles.RegisterAsync(client, "iris", [.. bytes, .. Enumerable.Repeat<byte[]>([0x3A, 0x00], i).SelectMany(b => b)]);
            }
        }

        var shown = (await CliRun.RunAsync(app, "models", "show", "iris", "-o", "json")).Json;

        Assert.Equal(Enumerable.Range(1, versions), shown.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.False(shown.TryGetProperty("continuationToken", out var token) && token.ValueKind == JsonValueKind.String, "show answers every version, so no page is left");
    }

    [Fact]
    public async Task Models_card_prints_the_markdown_and_download_writes_the_registered_bytes()
    {
        await using var app = new FlywheelApp();
        using (var client = app.CreateClient())
        {
            await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);
        }

        var file = Path.Combine(Path.GetTempPath(), $"iris-{Guid.NewGuid():N}.onnx");
        try
        {
            var card = await CliRun.RunAsync(app, "models", "card", "iris", "1");
            var downloaded = (await CliRun.RunAsync(app, "models", "download", "iris", "latest", "-O", file, "-o", "json")).Json;

            Assert.Equal(ExitCodes.Ok, card.ExitCode);
            // The card's text itself, not JSON, even when piped.
            Assert.StartsWith("# Model card: iris v1", card.Out, StringComparison.Ordinal);
            Assert.Equal(1, downloaded.GetProperty("version").GetInt32());
            Assert.Equal(ModelFiles.Bytes(ModelFiles.IrisZipMap), await File.ReadAllBytesAsync(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Models_archive_is_refused_with_exit_1_while_an_alias_points_at_the_version_and_archives_once_it_is_removed()
    {
        await using var app = new FlywheelApp();
        using (var client = app.CreateClient())
        {
            await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);
            await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisSecondVersion());
        }

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(app, "models", "alias", "set", "iris", "champion", "1")).ExitCode);

        var refused = await CliRun.RunAsync(app, "models", "archive", "iris", "1");
        var removed = await CliRun.RunAsync(app, "models", "alias", "rm", "iris", "champion");
        var archived = (await CliRun.RunAsync(app, "models", "archive", "iris", "1", "-o", "json")).Json;

        // A 409 is neither a missing resource nor a rejection by a gate: a plain failure.
        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
        Assert.Equal(string.Empty, refused.Out);
        var line = Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("champion", line, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, removed.ExitCode);
        Assert.Equal(1, archived.GetProperty("version").GetInt32());
        Assert.True(archived.GetProperty("archived").GetBoolean());
    }

    [Fact]
    public async Task Models_register_uploads_the_file_as_the_next_version_with_its_description_and_tags()
    {
        await using var app = new FlywheelApp();
        var onnx = ModelFiles.PathOf(ModelFiles.IrisZipMap);

        var registered = (await CliRun.RunAsync(app, "models", "register", "iris", onnx, "--description", "a forest", "--tag", "team=risk", "--tag", "source=skl2onnx",
            "-o", "json")).Json;
        var shown = (await CliRun.RunAsync(app, "models", "show", "iris", "-o", "json")).Json;

        Assert.Equal(("iris", 1), (registered.GetProperty("model").GetString(), registered.GetProperty("version").GetInt32()));
        Assert.Equal("a forest", registered.GetProperty("description").GetString());
        Assert.Equal("risk", registered.GetProperty("tags").GetProperty("team").GetString());
        Assert.Equal("skl2onnx", registered.GetProperty("tags").GetProperty("source").GetString());
        Assert.Equal(new FileInfo(onnx).Length, registered.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(1, shown.GetProperty("latestVersion").GetInt32());
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Models_register_draws_its_progress_bar_only_on_a_terminal(bool terminal, bool drawn)
    {
        await using var app = new FlywheelApp();

        var result = await CliRun.RunAsync(CliRun.Over(app), terminal, "models", "register", "iris", ModelFiles.PathOf(ModelFiles.IrisZipMap), "-o", "json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        Assert.Equal(drawn, result.Out.Contains("Uploading model.onnx", StringComparison.Ordinal));
        if (!drawn)
        {
            Assert.Equal(1, JsonDocument.Parse(result.Out).RootElement.GetProperty("version").GetInt32());
        }
    }

    [Fact]
    public async Task Models_register_with_a_tag_that_is_not_key_equals_value_exits_2_and_registers_nothing()
    {
        await using var app = new FlywheelApp();

        var result = await CliRun.RunAsync(app, "models", "register", "iris", ModelFiles.PathOf(ModelFiles.IrisZipMap), "--tag", "team");
        var list = (await CliRun.RunAsync(app, "models", "list", "-o", "json")).Json;

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--tag 'team'", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, list.GetArrayLength());
    }

    [Fact]
    public async Task Predict_scores_a_csv_file_in_batches_as_the_same_rows_sent_as_json()
    {
        await using var app = new FlywheelApp();
        using (var client = app.CreateClient())
        {
            await ModelFiles.RegisterAsync(client, "titanic", ModelFiles.TitanicPipeline);
        }

        var file = Path.Combine(Path.GetTempPath(), $"rows-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, TitanicRows);
        try
        {
            var lines = await CliRun.RunAsync(app, "predict", "titanic", "--file", file, "--batch-size", "2", "-o", "json");
            var csv = await CliRun.RunAsync(app, "predict", "titanic", "--file", file, "-o", "table");
            var json = await CliRun.RunAsync(app, "predict", "titanic", "-o", "json", "--json",
                """[{"embarked": "S", "sex": "female", "pclass": 1, "age": 29, "fare": 211.3}, {"embarked": "Q", "sex": "male", "pclass": 3, "age": null, "fare": 7.25}, {"embarked": "S", "sex": "male", "pclass": 1, "age": 45, "fare": 80}]""");

            Assert.True(lines.ExitCode == 0, lines.Error);
            Assert.True(json.ExitCode == 0, json.Error);
            // JSON lines: one prediction per row, in the file's order across both batches.
            var fromFile = lines.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("label").GetRawText()).ToList();
            var fromJson = json.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("label").GetRawText()).ToList();
            Assert.Equal(3, fromFile.Count);
            Assert.Equal(fromJson, fromFile);
            var rows = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(4, rows.Length);
            Assert.Contains("label", rows[0].Split(','));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
