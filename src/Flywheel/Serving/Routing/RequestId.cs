using System.Text.RegularExpressions;

namespace Flywheel.Serving.Routing;

/// <summary>
/// Prediction request ids: Flywheel's own (32 hex digits) or a caller's <c>X-Request-Id</c> in the
/// same safe alphabet, so an id is always usable as a blob name and a join key, and a placeholder
/// such as <c>&lt;X-Request-Id&gt;</c> pasted from documentation is refused.
/// </summary>
public static partial class RequestId
{
    public const string Rule = "1-128 letters, digits, '-', '_' or '.'";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>An id Flywheel issues (32 hex digits).</summary>
    public static string New() => Guid.NewGuid().ToString("N");

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
