using System.CommandLine;
using System.CommandLine.Help;
using Flywheel.Cli.Datasets;
using Flywheel.Cli.Models;
using Flywheel.Cli.Monitoring;
using Flywheel.Cli.Pipelines;
using Flywheel.Cli.Retraining;
using Flywheel.Cli.Runs;
using Flywheel.Cli.Serving;
using Flywheel.Cli.Training;

namespace Flywheel.Cli;

/// <summary>The <c>flywheel</c> command: parses a command line and runs it against Flywheel through <see cref="Client.FlywheelClient"/>.</summary>
public static class FlywheelCli
{
    private const string About = """
        Drive Flywheel from a terminal or a CI step: datasets, models, training, pipelines, runs, serving, monitoring, retraining.

        Conventions: --url/FLYWHEEL_URL (default http://localhost:7071), --key/FLYWHEEL_KEY, -o table|json (table on a terminal,
        json when piped: the API's own records), --no-progress. Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 rejected
        (a contract, a gate, a canary or an approval said no).

        Shell completion: dotnet tool install -g dotnet-suggest, then add its shim for your shell
        (https://learn.microsoft.com/dotnet/standard/commandline/tab-completion); flywheel answers its [suggest] directive,
        e.g. flywheel "[suggest:10]" "datasets p".

        Example:
          flywheel datasets push data.csv --name churn && flywheel train --model churn --dataset churn --label churned
        """;

    /// <summary>Runs one command line; returns the process exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var root = Create(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync($"Run 'flywheel {string.Join(' ', CommandPath(parse))} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            // Ctrl-C is the context's: it detaches from a pipeline rather than ending the process.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        }).ConfigureAwait(false);
    }

    private static RootCommand Create(CliContext context)
    {
        var build = new CommandBuilder(context);
        var root = new RootCommand(About);
        root.Add(build.Globals.Url);
        root.Add(build.Globals.Key);
        root.Add(build.Globals.Output);
        root.Add(build.Globals.NoProgress);
        root.Add(DatasetsCommands.Create(build));
        root.Add(ModelsCommands.Create(build));
        root.Add(TrainCommand.Create(build));
        root.Add(PipelinesCommands.Create(build));
        root.Add(RunsCommands.Create(build));
        root.Add(PredictCommand.Create(build));
        root.Add(BatchCommand.Create(build));
        root.Add(DeployCommand.Create(build));
        root.Add(MonitorCommands.Create(build));
        root.Add(PolicyCommands.Create(build));
        root.Add(RetrainCommands.Create(build));
        return root;
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var command = parse.CommandResult; command.Parent is System.CommandLine.Parsing.CommandResult parent; command = parent)
        {
            names.Push(command.Command.Name);
        }

        return names;
    }
}
