using System.Text.RegularExpressions;
using Flywheel.Testing;

namespace Flywheel.Tests.Serving;

/// <summary>Serving's folders import one another one way only, so each can be read (and changed) without the ones above it.</summary>
public sealed partial class ServingLayeringTests
{
    [Fact]
    public void No_two_serving_folders_import_each_other()
    {
        var serving = Path.Combine(RepositoryRoot.Path, "src", "Flywheel", "Serving");
        var imports = Directory.GetDirectories(serving).ToDictionary(
            folder => Path.GetFileName(folder),
            folder => Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                .SelectMany(file => ServingUsing().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
                .ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);

        var mutual = imports.SelectMany(a => a.Value.Where(b => imports.TryGetValue(b, out var back) && back.Contains(a.Key)).Select(b => $"{a.Key} <-> {b}"));

        Assert.Empty(mutual);
    }

    [GeneratedRegex(@"^using Flywheel\.Serving\.(\w+);", RegexOptions.Multiline)]
    private static partial Regex ServingUsing();
}
