using Flywheel.Testing;

namespace Flywheel.EndToEnd.Tests.Hosts;

/// <summary>
/// Where the Functions host and the Functions app are. scripts/test.sh builds the host once and passes
/// its folder in FLYWHEEL_FUNCTIONS_HOST; run by hand, the tests build it the same way
/// (scripts/tools.sh functions_host_dir, cached under artifacts/functions-host/ by the tarball's hash).
/// </summary>
public static class FunctionsHostBuild
{
    public const string HostDirectoryVariable = "FLYWHEEL_FUNCTIONS_HOST";

    private static readonly Lazy<Task<string>> Build = new(BuildAsync);

    /// <summary>The folder of the host's sources and its build.sh / run.sh.</summary>
    public static string Tools =>
        Environment.GetEnvironmentVariable("FLYWHEEL_FUNCTIONS_HOST_TOOLS") is { Length: > 0 } tools
            ? tools
            : Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "tools", "functions-host"));

    /// <summary>The Functions app's build output in the configuration these tests were built in.</summary>
    public static string AppDirectory
    {
        get
        {
            var configuration = Path.GetFileName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var app = Path.Combine(RepositoryRoot.Path, "artifacts", "bin", "Flywheel.Functions", configuration);
            return File.Exists(Path.Combine(app, "functions.metadata"))
                ? app
                : throw new InvalidOperationException($"No Functions app build in {app}: build Flywheel.Local.slnf ({configuration}) first.");
        }
    }

    public static Task<string> DirectoryAsync() => Build.Value;

    private static async Task<string> BuildAsync()
    {
        if (Environment.GetEnvironmentVariable(HostDirectoryVariable) is { Length: > 0 } built)
        {
            return built;
        }

        var script = Path.Combine(RepositoryRoot.Path, "scripts", "tools.sh");
        await using var build = ChildProcess.Start("bash", ["-c", $"source '{script}' && functions_host_dir"]);
        var exit = await build.WaitForExitAsync(TimeSpan.FromMinutes(10)).ConfigureAwait(false);
        var lines = build.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return exit == 0 && lines.Length > 0 && File.Exists(Path.Combine(lines[^1], "Microsoft.Azure.WebJobs.Script.WebHost.dll"))
            ? lines[^1]
            : throw new InvalidOperationException($"Building the Functions host failed (exit {exit}):\n{build.Output}");
    }
}
