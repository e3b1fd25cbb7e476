using System.Globalization;

namespace Flywheel.Storage;

/// <summary>
/// A UTC instant as ids and keys carry it (<c>20261201T000000Z</c>): ISO 8601's basic form, with no character a
/// table key, blob name or instance id refuses, and sorting as text in time order.
/// </summary>
public static class CompactTime
{
    public const string Pattern = "yyyyMMdd'T'HHmmss'Z'";

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);
}
