using System.Diagnostics;

namespace Flywheel.Tests;

/// <summary>Runs the peers tests check Flywheel's files with: Debian's python3 (onnx) and headless Chromium.</summary>
internal static class ExternalTools
{
    public static async Task<(int Code, string Output)> RunAsync(string file, params string[] arguments)
    {
        var (code, stdout, stderr) = await RunSeparatelyAsync(file, null, arguments);
        return (code, stdout + stderr);
    }

    /// <summary>Runs <paramref name="file"/> keeping stdout (a JSON answer to parse) apart from stderr, with extra environment variables.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunSeparatelyAsync(string file, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Saves <paramref name="html"/> under the test output's <c>artifacts/</c>, loads it in headless
    /// Chromium, keeps a screenshot beside it, and returns the DOM after load plus Chromium's log
    /// (console errors and failed loads show there).
    /// </summary>
    public static async Task<string> RenderAsync(string html, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        var page = Path.Combine(folder, $"{name}.html");
        await File.WriteAllTextAsync(page, html);
        var (code, dom) = await RunAsync("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0", "--dump-dom", new Uri(page).AbsoluteUri);
        Assert.True(code == 0, dom);
        await RunAsync("chromium", "--headless", "--no-sandbox", "--disable-gpu", $"--screenshot={Path.Combine(folder, $"{name}.png")}", "--window-size=1200,1800", new Uri(page).AbsoluteUri);
        Assert.True(File.Exists(Path.Combine(folder, $"{name}.png")), "no screenshot");
        return dom;
    }
}
