using System.Globalization;
using System.Text.RegularExpressions;

namespace Flywheel.Testing;

/// <summary>The batch chunks a host's log says it scored (ScoreBatchChunk's "scored chunk N" line), for tests that kill a host mid-run.</summary>
public static partial class ScoredChunks
{
    public static HashSet<int> In(string output) =>
        [.. ScoredLine().Matches(output).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"scored chunk (\d+) ")]
    private static partial Regex ScoredLine();
}
