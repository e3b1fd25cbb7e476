using System.Diagnostics;

namespace Flywheel.Cli.Output;

/// <summary>
/// Opens a saved page the way a Unix desktop does: <c>$BROWSER</c> first (the first of a colon-separated list, as
/// man-pages and git read it), else <c>xdg-open</c> found on the PATH. Both come from the context's environment, so
/// a test decides which exists. The browser is started, not waited for: it may stay open for as long as a person reads.
/// </summary>
internal static class Browser
{
    /// <summary>The command that opened <paramref name="file"/>, or null when there is none to open it with.</summary>
    public static string? Open(CliSession session, string file)
    {
        if (Command(session) is not { } command)
        {
            return null;
        }

        var start = new ProcessStartInfo(command) { UseShellExecute = false };
        start.ArgumentList.Add(file);
        try
        {
            using var process = Process.Start(start);
            return command;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // A $BROWSER that names nothing runnable: the page is saved all the same, and its path is the answer.
            return null;
        }
    }

    private static string? Command(CliSession session)
    {
        if (session.Variable("BROWSER")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } browser)
        {
            return browser;
        }

        return session.Variable("PATH")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "xdg-open"))
            .FirstOrDefault(File.Exists);
    }
}
