using System.Collections;
using Flywheel.Client;

namespace Flywheel.Cli;

/// <summary>
/// Everything the CLI reads from or writes to the world, so the same entry point runs as the installed tool and
/// in-process in a test: the two writers, whether stdout is a terminal (tables and progress) or a pipe (JSON),
/// the environment (FLYWHEEL_URL, FLYWHEEL_KEY), how a client is made, and the Ctrl-C that detaches.
/// </summary>
public sealed class CliContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Whether stdout is a terminal: tables and progress when true, JSON and no progress when piped.</summary>
    public bool IsTerminal { get; init; }

    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Makes the client for the options the command line gave; tests hand one over their test server's HttpClient.</summary>
    public Func<FlywheelClientOptions, FlywheelClient> ClientFactory { get; init; } = options => new FlywheelClient(options);

    /// <summary>Cancelled on Ctrl-C: a command waiting on a pipeline stops waiting (it keeps running on the server).</summary>
    public CancellationToken Interrupt { get; init; }

    /// <summary>The real console: Ctrl-C is taken over so waiting commands detach instead of the process being killed.</summary>
    public static CliContext FromConsole()
    {
        var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl-C detaches; a second one ends the process the usual way.
            e.Cancel = !interrupt.IsCancellationRequested;
            interrupt.Cancel();
        };
        return new CliContext
        {
            Out = Console.Out,
            Error = Console.Error,
            IsTerminal = !Console.IsOutputRedirected,
            Environment = System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => e.Value as string, StringComparer.Ordinal),
            Interrupt = interrupt.Token,
        };
    }

    internal string? Variable(string name) => Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
