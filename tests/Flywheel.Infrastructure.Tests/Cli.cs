using System.Diagnostics;
using Flywheel.Testing;

namespace Flywheel.Infrastructure.Tests;

/// <summary>What a command-line tool printed and how it exited.</summary>
public sealed record CliResult(int ExitCode, string Output, string Errors);

/// <summary>Runs a command-line tool to completion in the repository root, keeping stdout and stderr apart.</summary>
public static class Cli
{
    public static CliResult Run(string fileName, params string[] arguments) => Run(new Dictionary<string, string>(), fileName, arguments);

    /// <summary>Runs the tool with <paramref name="environment"/> added to (or replacing entries of) this process's environment.</summary>
    public static CliResult Run(IReadOnlyDictionary<string, string> environment, string fileName, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return new CliResult(process.ExitCode, output.Result, errors);
    }
}
