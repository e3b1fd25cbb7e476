using System.Text.Json;
using Flywheel.Testing;

namespace Flywheel.Tests.Console;

/// <summary>
/// The console in Debian's headless Chromium, driven by <c>browse.mjs</c> (puppeteer-core from the root
/// node_modules): each step loads a page, waits until it has rendered, optionally clicks a button, and keeps a
/// screenshot under the test output's <c>artifacts/console/</c>.
/// </summary>
internal static class ConsoleBrowser
{
    private static readonly string s_script = Path.Combine(RepositoryRoot.Path, "tests", "Flywheel.Tests", "Console", "browse.mjs");

    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "console")).FullName;

    /// <param name="Screenshot">A file name under <see cref="Artifacts"/>.</param>
    /// <param name="Click">The label of a button to click once the page has rendered.</param>
    /// <param name="Within">A CSS selector the button is inside (a row or section), so the click is the intended one.</param>
    /// <param name="WaitForText">Text to wait for before clicking or reading.</param>
    public sealed record Step(string Url, string Screenshot, string? Click = null, string? Within = null, string? WaitForText = null);

    /// <param name="Errors">Script errors and console.error calls.</param>
    /// <param name="FailedLoads">Responses of 400 and above, as "status url".</param>
    /// <param name="Sent">The status line a clicked button announced.</param>
    public sealed record Result(string Url, IReadOnlyList<string> Errors, IReadOnlyList<string> FailedLoads, string Text, double? FirstPaintMs, double ReadyMs, string? Sent);

    public static async Task<IReadOnlyList<Result>> BrowseAsync(IEnumerable<Step> steps, string? key = null)
    {
        var spec = new
        {
            chromium = "/usr/bin/chromium",
            key,
            steps = steps.Select(s => new { url = s.Url, screenshot = Path.Combine(Artifacts, s.Screenshot), click = s.Click, within = s.Within, waitForText = s.WaitForText }),
        };
        var (code, output) = await ExternalTools.RunAsync("node", s_script, JsonSerializer.Serialize(spec));
        Assert.True(code == 0, output);
        var json = output[..(output.LastIndexOf(']') + 1)];
        return JsonSerializer.Deserialize<Result[]>(json, JsonSerializerOptions.Web)!;
    }

    public static async Task<Result> BrowseAsync(Step step, string? key = null) => (await BrowseAsync([step], key))[0];
}
