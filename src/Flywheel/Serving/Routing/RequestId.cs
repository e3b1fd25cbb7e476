using System.Security.Cryptography;
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

    // Secure random bytes drawn for 16 ids at a time: a system call per id is a needless share of a single-record request.
    private const int IdBytes = 16;
    private const int BatchBytes = 16 * IdBytes;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    /// <summary>An id Flywheel issues: 32 hex digits of cryptographically secure random bytes (unguessable, as feedback joins on it).</summary>
    public static string New()
    {
        var random = t_random ??= new byte[BatchBytes];
        if (t_used == 0 || t_used == BatchBytes)
        {
            RandomNumberGenerator.Fill(random);
            t_used = 0;
        }

        var bytes = random.AsSpan(t_used, IdBytes);
        t_used += IdBytes;
        var id = Convert.ToHexStringLower(bytes);
        // An id handed out is never left in memory to be read back.
        bytes.Clear();
        return id;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
