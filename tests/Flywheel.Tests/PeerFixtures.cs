using System.Text.Json;

namespace Flywheel.Tests;

/// <summary>Cases a peer (scipy, scikit-learn) computed, kept as JSON beside the tests by a script in scripts/fixtures: {"cases": [{"name", ...}]}.</summary>
internal static class PeerFixtures
{
    public static JsonElement Load(string relativePath) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, relativePath))).RootElement;

    public static TheoryData<string> Names(string relativePath)
    {
        var data = new TheoryData<string>();
        foreach (var item in Load(relativePath).GetProperty("cases").EnumerateArray())
        {
            data.Add(item.GetProperty("name").GetString()!);
        }

        return data;
    }

    public static JsonElement Case(string relativePath, string name) =>
        Load(relativePath).GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}
