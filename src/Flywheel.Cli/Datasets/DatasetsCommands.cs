using System.CommandLine;
using Flywheel.Cli.Output;
using Flywheel.Client;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Monitoring;
using Spectre.Console;

namespace Flywheel.Cli.Datasets;

/// <summary><c>flywheel datasets ...</c>: push files as versions, read versions, compare them, and set the contract new versions must meet.</summary>
internal static class DatasetsCommands
{
    public static Command Create(CommandBuilder build)
    {
        var name = new Argument<string>("name") { Description = "The dataset's name" };
        return build.Group("datasets", "Push, list, show, compare datasets and their contracts",
            Push(build),
            build.Leaf("list", "List datasets with their latest version", "flywheel datasets list -o json",
                async (s, ct) =>
                {
                    var items = await s.Client.Datasets.ListAsync(cancellationToken: ct).ToListAsync(ct);
                    s.Output.WriteList(items, ("name", d => d.Name), ("latest", d => d.LatestVersion), ("updated", d => d.Updated));
                    return ExitCodes.Ok;
                }),
            Show(build, name),
            Diff(build, name),
            Drift(build, name),
            build.Group("contract", "Read or set the contract every new version must meet",
                build.Leaf("get", "Show a dataset's contract", "flywheel datasets contract get churn -o json",
                    async (s, ct) =>
                    {
                        s.Output.Write(await s.Client.Datasets.GetContractAsync(s.Value(name), ct), ContractTable);
                        return ExitCodes.Ok;
                    }, name),
                ContractSet(build, name)));
    }

    private static Command Push(CommandBuilder build)
    {
        var file = new Argument<FileInfo>("file") { Description = "A CSV file, or a .parquet file" };
        var name = new Option<string>("--name", "-n") { Description = "The dataset to add the version to", Required = true };
        return build.Leaf("push", "Upload a file as the dataset's next version; a contract violation prints the quarantine reasons and exits 4",
            "flywheel datasets push data/churn.csv --name churn",
            async (s, ct) =>
            {
                var path = s.Value(file);
                if (!path.Exists)
                {
                    throw new FileNotFoundException($"There is no file {path.FullName}.");
                }

                var version = await Transfer.RunAsync(s, $"Uploading {path.Name}", path.Length,
                    progress => s.Client.Datasets.PushFileAsync(s.Value(name), path.FullName, progress, ct));
                s.Output.Write(version, v => OutputWriter.Fields(("dataset", v.Dataset), ("version", v.Version), ("rows", v.Rows), ("columns", v.ColumnCount),
                    ("format", v.Format), ("sha256", v.Sha256), ("warnings", v.Warnings.Count == 0 ? "none" : string.Join("; ", v.Warnings))));
                return ExitCodes.Ok;
            }, file, name);
    }

    private static Command Show(CommandBuilder build, Argument<string> name)
    {
        var version = new Option<string>("--version", "-v") { Description = "A version number or latest", DefaultValueFactory = _ => "latest" };
        return build.Leaf("show", "Show one version: shape, schema and warnings", "flywheel datasets show churn --version 2",
            async (s, ct) =>
            {
                var v = await s.Client.Datasets.GetVersionAsync(s.Value(name), s.Value(version), ct);
                s.Output.Write(v, VersionTable);
                return ExitCodes.Ok;
            }, name, version);
    }

    private static Command Diff(CommandBuilder build, Argument<string> name)
    {
        var from = new Option<string?>("--from") { Description = "The older version [default: the one before --to]" };
        var to = new Option<string?>("--to") { Description = "The newer version [default: latest]" };
        return build.Leaf("diff", "How two versions' schemas and profiles differ", "flywheel datasets diff churn --from 1 --to 3",
            async (s, ct) =>
            {
                var diff = await s.Client.Datasets.DiffAsync(s.Value(name), s.Value(from), s.Value(to), ct);
                s.Output.Write(diff, DiffTable);
                return ExitCodes.Ok;
            }, name, from, to);
    }

    private static Command Drift(CommandBuilder build, Argument<string> name)
    {
        var reference = new Option<string?>("--reference") { Description = "The reference version [default: the first]" };
        var current = new Option<string?>("--current") { Description = "The current version [default: latest]" };
        return build.Leaf("drift", "Drift per column between two versions", "flywheel datasets drift churn --reference 1 --current 4",
            async (s, ct) =>
            {
                var report = await s.Client.Datasets.DriftAsync(s.Value(name), s.Value(reference), s.Value(current), ct);
                s.Output.Write(report, DriftTable);
                return ExitCodes.Ok;
            }, name, reference, current);
    }

    private static Command ContractSet(CommandBuilder build, Argument<string> name)
    {
        var file = new Option<FileInfo>("--file", "-f") { Description = "The contract as JSON (the API's DatasetContract)", Required = true };
        return build.Leaf("set", "Set the contract every new version must meet", "flywheel datasets contract set churn --file contract.json",
            async (s, ct) =>
            {
                var contract = await JsonInput.ReadAsync<DatasetContract>(s.Value(file), ct);
                s.Output.Write(await s.Client.Datasets.SetContractAsync(s.Value(name), contract, ct), ContractTable);
                return ExitCodes.Ok;
            }, name, file);
    }

    private static Spectre.Console.Rendering.IRenderable VersionTable(DatasetVersion v)
    {
        var fields = OutputWriter.Fields(("dataset", v.Dataset), ("version", v.Version), ("rows", v.Rows), ("columns", v.ColumnCount), ("format", v.Format),
            ("size", v.SizeBytes), ("created", v.Created), ("source", v.Source), ("warnings", v.Warnings.Count == 0 ? "none" : string.Join("; ", v.Warnings)));
        var schema = OutputWriter.Rows(v.Schema ?? [], ("column", c => c.Name), ("type", c => c.Type), ("nullable", c => c.Nullable));
        return new Rows(fields, schema);
    }

    private static Spectre.Console.Rendering.IRenderable ContractTable(DatasetContract c) => new Rows(
        OutputWriter.Fields(("minRows", c.MinRows), ("maxMissingRate", c.MaxMissingRate), ("allowExtraColumns", c.AllowExtraColumns)),
        OutputWriter.Rows(c.Columns, ("column", r => r.Key), ("type", r => r.Value.Type), ("nullable", r => r.Value.Nullable), ("min", r => r.Value.Min),
            ("max", r => r.Value.Max), ("allowed", r => r.Value.Allowed)));

    private static Spectre.Console.Rendering.IRenderable DiffTable(DatasetDiff d) => new Rows(
        OutputWriter.Fields(("dataset", d.Dataset), ("from", d.From), ("to", d.To), ("rows", $"{OutputWriter.Cell(d.Rows.From)} -> {OutputWriter.Cell(d.Rows.To)}"),
            ("schema", d.SchemaChanges.Count == 0 ? "unchanged" : string.Join("; ", d.SchemaChanges))),
        OutputWriter.Rows(d.Columns, ("column", c => c.Key), ("type", c => c.Value.TypeFrom == c.Value.TypeTo ? c.Value.TypeTo : $"{c.Value.TypeFrom} -> {c.Value.TypeTo}"),
            ("psi", c => c.Value.Psi), ("drifted", c => c.Value.Drifted)));

    internal static Spectre.Console.Rendering.IRenderable DriftTable(DriftReport r) => new Rows(
        OutputWriter.Fields(("reference", $"{r.Reference.Name} v{OutputWriter.Cell(r.Reference.Version)} ({r.Reference.Rows} rows)"),
            ("current", $"{r.Current.Name} v{OutputWriter.Cell(r.Current.Version)} ({r.Current.Rows} rows)"),
            ("drift", r.DatasetDrift ? $"yes: {r.DriftedColumns}/{r.Columns} columns" : $"no: {r.DriftedColumns}/{r.Columns} columns"), ("note", r.Note)),
        OutputWriter.Rows(r.ColumnResults, ("column", c => c.Column), ("type", c => c.Type), ("method", c => c.Method), ("score", c => c.Score),
            ("threshold", c => c.Threshold), ("drifted", c => c.Drifted)));
}
