using System.CommandLine;
using Flywheel.Cli.Output;
using Flywheel.Client;
using Spectre.Console;

namespace Flywheel.Cli;

/// <summary>One command's run: the parsed line, the client the global options describe, and where output goes.</summary>
internal sealed class CliSession : IDisposable
{
    private readonly CliContext _context;
    private readonly GlobalOptions _globals;
    private FlywheelClient? _client;

    public CliSession(ParseResult parse, CliContext context, GlobalOptions globals)
    {
        _globals = globals;
        Parse = parse;
        _context = context;
        Endpoint = EndpointOf(parse.GetValue(globals.Url) ?? context.Variable(GlobalOptions.UrlVariable));
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Out),
            // The context decides what a terminal is, so a test can ask for the terminal's behaviour over a StringWriter.
            Ansi = context.IsTerminal ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = context.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = context.IsTerminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!context.IsTerminal)
        {
            // A redirected table should not wrap at the 80 columns Spectre assumes without a terminal.
            console.Profile.Width = 200;
        }

        var format = parse.GetValue(globals.Output) ?? (context.IsTerminal ? OutputFormat.Table : OutputFormat.Json);
        Output = new OutputWriter(format, console, context.Out, context.Error);
        ShowsProgress = context.IsTerminal && !parse.GetValue(globals.NoProgress);
    }

    public ParseResult Parse { get; }

    public Uri Endpoint { get; }

    public OutputWriter Output { get; }

    public TextWriter Error => _context.Error;

    /// <summary>Progress bars and live status only on a terminal, and never with --no-progress.</summary>
    public bool ShowsProgress { get; }

    /// <summary>Ctrl-C: waiting commands stop waiting and say how to pick the pipeline up again.</summary>
    public CancellationToken Interrupt => _context.Interrupt;

    public FlywheelClient Client => _client ??= _context.ClientFactory(new FlywheelClientOptions
    {
        Endpoint = Endpoint,
        Key = Parse.GetValue(_globals.Key) ?? _context.Variable(GlobalOptions.KeyVariable),
        User = _context.Variable("USER"),

        // A person is waiting at a terminal: two quick retries ride out a restart, and a wrong --url fails in a second, not fifteen.
        MaxRetries = 2,
        RetryDelay = TimeSpan.FromMilliseconds(250),

        // An attempt includes sending the body: a large dataset push takes as long as the network needs.
        AttemptTimeout = TimeSpan.FromHours(1),
    });

    /// <summary>An environment variable as the context sees it (null when unset or empty).</summary>
    public string? Variable(string name) => _context.Variable(name);

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    private static Uri EndpointOf(string? url) =>
        url is null ? FlywheelClientOptions.DefaultEndpoint
        : Uri.TryCreate(url, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https" ? endpoint
        : throw new CliUsageException($"--url '{url}' is not an http or https address, such as http://localhost:7071.");

    public void Dispose() => _client?.Dispose();
}
