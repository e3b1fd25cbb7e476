using System.Text.Json;
using Flywheel.Cli;
using Flywheel.Client;

namespace Flywheel.Tests.Cli;

/// <summary>What one in-process run of the CLI returned and wrote.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>stdout as the one JSON document -o json writes; fails the test with both streams when it is not.</summary>
    public JsonElement Json
    {
        get
        {
            Assert.True(ExitCode == 0, $"exit {ExitCode}\nstdout: {Out}\nstderr: {Error}");
            return JsonDocument.Parse(Out).RootElement.Clone();
        }
    }
}

/// <summary>Runs <see cref="FlywheelCli.RunAsync"/> in process, its client over a test app's HttpClient.</summary>
internal static class CliRun
{
    public static Task<CliResult> RunAsync(FlywheelApp app, params string[] args) => RunAsync(Over(app), terminal: false, args);

    public static Func<FlywheelClientOptions, FlywheelClient> Over(FlywheelApp app) => options => new FlywheelClient(app.CreateClient(), options);

    public static Task<CliResult> RunAsync(Func<FlywheelClientOptions, FlywheelClient> clients, bool terminal, params string[] args) =>
        RunAsync(clients, terminal, CancellationToken.None, args);

    /// <summary>Runs with <paramref name="interrupt"/> as the Ctrl-C the console would send.</summary>
    public static Task<CliResult> RunAsync(Func<FlywheelClientOptions, FlywheelClient> clients, bool terminal, CancellationToken interrupt, params string[] args) =>
        RunAsync(new CliContext { Out = TextWriter.Null, Error = TextWriter.Null, IsTerminal = terminal, ClientFactory = clients, Interrupt = interrupt }, args);

    /// <summary>Runs with <paramref name="environment"/> as the whole environment the CLI sees (BROWSER, PATH...).</summary>
    public static Task<CliResult> RunAsync(FlywheelApp app, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunAsync(new CliContext { Out = TextWriter.Null, Error = TextWriter.Null, ClientFactory = Over(app), Environment = environment }, args);

    /// <summary>Runs in <paramref name="context"/> with its writers replaced by ones the result reads.</summary>
    private static async Task<CliResult> RunAsync(CliContext context, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await FlywheelCli.RunAsync(args, new CliContext
        {
            Out = output,
            Error = error,
            IsTerminal = context.IsTerminal,
            ClientFactory = context.ClientFactory,
            Interrupt = context.Interrupt,
            Environment = context.Environment,
        });
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
