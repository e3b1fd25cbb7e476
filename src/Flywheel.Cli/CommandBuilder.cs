using System.CommandLine;
using Flywheel.Cli.Errors;

namespace Flywheel.Cli;

/// <summary>What a command does with its session; returns the exit code.</summary>
internal delegate Task<int> CliAction(CliSession session, CancellationToken cancellationToken);

/// <summary>
/// Makes commands the same way: a description with an example (help shows both), and an action run in a session
/// whose every exception goes through <see cref="ErrorMapper"/>, so no command maps errors itself.
/// </summary>
internal sealed class CommandBuilder(CliContext context)
{
    public GlobalOptions Globals { get; } = new();

    public Command Group(string name, string description, params Command[] children)
    {
        var command = new Command(name, description);
        foreach (var child in children)
        {
            command.Add(child);
        }

        return command;
    }

    public Command Leaf(string name, string description, string example, CliAction action, params Symbol[] symbols)
    {
        var command = new Command(name, $"{description}\n\nExample:\n  {example}");
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Add(argument);
                    break;
                case Option option:
                    command.Add(option);
                    break;
            }
        }

        command.SetAction((parse, cancellationToken) => RunAsync(parse, action, cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CliAction action, CancellationToken cancellationToken)
    {
        CliSession? session = null;
        try
        {
            session = new CliSession(parse, context, Globals);
            using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.Interrupt);
            return await action(session, both.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.Interrupt.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("interrupted").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ErrorMapper.Report(e, session?.Endpoint ?? Client.FlywheelClientOptions.DefaultEndpoint, context.Error);
        }
        finally
        {
            session?.Dispose();
        }
    }
}
