using System.CommandLine;
using Flywheel.Cli.Output;
using Flywheel.Contracts.Registry;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Flywheel.Cli.Models;

/// <summary><c>flywheel models ...</c>: the registry: versions, aliases, cards, downloads, archiving.</summary>
internal static class ModelsCommands
{
    public static Command Create(CommandBuilder build)
    {
        var name = new Argument<string>("name") { Description = "The model's name" };
        var version = new Argument<string>("version") { Description = "A version number, latest or an alias" };
        var alias = new Argument<string>("alias") { Description = "The alias, such as champion" };
        var aliasVersion = new Argument<int>("version") { Description = "The version number the alias points to" };
        var output = new Option<FileInfo>("--output-file", "-O") { Description = "Where to write the ONNX file", Required = true };
        var html = new Option<bool>("--html") { Description = "The card as a standalone HTML page instead of Markdown" };

        return build.Group("models", "List and inspect registered models; move aliases; download and archive versions",
            build.Leaf("list", "List models with their latest version and aliases", "flywheel models list",
                async (s, ct) =>
                {
                    var items = await s.Client.Models.ListAsync(cancellationToken: ct).ToListAsync(ct);
                    s.Output.WriteList(items, ("name", m => m.Name), ("latest", m => m.LatestVersion), ("aliases", m => m.Aliases), ("updated", m => m.Updated));
                    return ExitCodes.Ok;
                }),
            build.Leaf("show", "Show a model: aliases and versions", "flywheel models show churn -o json",
                async (s, ct) =>
                {
                    var details = await s.Client.Models.GetAsync(s.Value(name), ct);
                    if (details.ContinuationToken is not null)
                    {
                        // The API answers the first page of versions: show every version, as the command promises.
                        var versions = new List<ModelVersion>();
                        await foreach (var v in s.Client.Models.ListVersionsAsync(details.Name, cancellationToken: ct))
                        {
                            versions.Add(v);
                        }

                        details = details with { Versions = versions, ContinuationToken = null };
                    }

                    s.Output.Write(details, DetailsTable);
                    return ExitCodes.Ok;
                }, name),
            Register(build, name),
            build.Group("alias", "Point an alias at a version, or remove it",
                build.Leaf("set", "Point an alias at a version (the history records the move)", "flywheel models alias set churn champion 3",
                    async (s, ct) =>
                    {
                        var entry = await s.Client.Models.SetAliasAsync(s.Value(name), s.Value(alias), s.Value(aliasVersion), ct);
                        s.Output.Write(entry, HistoryTable);
                        return ExitCodes.Ok;
                    }, name, alias, aliasVersion),
                build.Leaf("rm", "Remove an alias", "flywheel models alias rm churn challenger",
                    async (s, ct) =>
                    {
                        await s.Client.Models.DeleteAliasAsync(s.Value(name), s.Value(alias), ct);
                        s.Output.Note($"Removed alias {s.Value(alias)} of {s.Value(name)}.");
                        return ExitCodes.Ok;
                    }, name, alias)),
            build.Leaf("card", "Print a version's model card (Markdown, or HTML with --html)", "flywheel models card churn champion > card.md",
                async (s, ct) =>
                {
                    s.Output.Text(await s.Client.Models.GetCardAsync(s.Value(name), s.Value(version), s.Value(html), ct));
                    return ExitCodes.Ok;
                }, name, version, html),
            build.Leaf("download", "Download a version's ONNX file", "flywheel models download churn 3 -O churn-3.onnx",
                async (s, ct) =>
                {
                    var file = s.Value(output);
                    var model = await s.Client.Models.GetVersionAsync(s.Value(name), s.Value(version), ct);
                    await Transfer.ToFileAsync(s, file, $"Downloading {model.Model} v{model.Version}", model.SizeBytes,
                        (stream, progress) => s.Client.Models.DownloadAsync(model.Model, model.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), stream, progress, ct));

                    s.Output.Write(model, VersionTable);
                    return ExitCodes.Ok;
                }, name, version, output),
            build.Leaf("archive", "Archive a version: it stops serving by latest (refused while an alias or route points at it)", "flywheel models archive churn 1",
                async (s, ct) =>
                {
                    s.Output.Write(await s.Client.Models.ArchiveVersionAsync(s.Value(name), s.Value(version), ct), VersionTable);
                    return ExitCodes.Ok;
                }, name, version));
    }

    private static Command Register(CommandBuilder build, Argument<string> name)
    {
        var file = new Argument<FileInfo>("file") { Description = "The ONNX file" };
        var description = new Option<string?>("--description") { Description = "What the version is, for the model card" };
        var tags = new Option<string[]>("--tag") { Description = "KEY=VALUE, repeated" };
        return build.Leaf("register", "Register an ONNX file as the model's next version (streamed; a progress bar on a terminal)",
            "flywheel models register churn model.onnx --description \"gbm, 2026-11 data\" --tag team=risk",
            async (s, ct) =>
            {
                var path = s.Value(file);
                if (!path.Exists)
                {
                    throw new FileNotFoundException($"There is no file {path.FullName}.");
                }

                var registration = new ModelRegistration
                {
                    Description = s.Value(description),
                    Tags = s.Value(tags) is { Length: > 0 } given ? TagsOf(given) : null,
                };
                var stream = path.OpenRead();
                ModelVersion version;
                await using (stream)
                {
                    version = await Transfer.RunAsync(s, $"Uploading {path.Name}", path.Length,
                        progress => s.Client.Models.RegisterAsync(s.Value(name), stream, registration, progress, ct));
                }

                s.Output.Write(version, VersionTable);
                return ExitCodes.Ok;
            }, name, file, description, tags);
    }

    private static Dictionary<string, string> TagsOf(IEnumerable<string> given)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in given)
        {
            var (key, value) = Pairs.Split(text, "--tag", "KEY=VALUE, such as team=risk");
            // The last of a repeated key wins, as a shell user re-typing it expects.
            tags[key] = value;
        }

        return tags;
    }

    internal static IRenderable VersionTable(ModelVersion v) => OutputWriter.Fields(
        ("model", v.Model), ("version", v.Version), ("aliases", v.Aliases), ("created", v.Created), ("by", v.CreatedBy), ("description", v.Description),
        ("metrics", v.Metrics), ("tags", v.Tags), ("dataset", v.Dataset is null ? null : $"{v.Dataset.Name} v{v.Dataset.Version}"), ("run", v.RunId),
        ("archived", v.Archived), ("sha256", v.Sha256));

    private static IRenderable DetailsTable(ModelDetails m) => new Rows(
        OutputWriter.Fields(("model", m.Name), ("latest", m.LatestVersion), ("aliases", m.Aliases), ("updated", m.Updated)),
        OutputWriter.Rows(m.Versions, ("version", v => v.Version), ("aliases", v => v.Aliases), ("created", v => v.Created), ("metrics", v => v.Metrics),
            ("archived", v => v.Archived)));

    private static IRenderable HistoryTable(HistoryEntry e) => OutputWriter.Fields(
        ("action", e.Action), ("alias", e.Alias), ("from", e.From), ("to", e.To), ("when", e.When), ("by", e.By));
}
