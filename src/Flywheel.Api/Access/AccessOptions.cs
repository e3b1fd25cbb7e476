using System.ComponentModel.DataAnnotations;

namespace Flywheel.Api.Access;

/// <summary>Who may call and who a caller is, bound from <c>Flywheel:Access</c>.</summary>
public sealed class AccessOptions
{
    public const string SectionName = "Flywheel:Access";

    /// <summary>
    /// Record <c>X-Flywheel-User</c> as the caller in audit history. Only for a LocalHost whose
    /// callers are trusted (scripts/dev.sh turns it on): anyone can write any name in a header.
    /// </summary>
    public bool TrustUserHeader { get; set; }

    /// <summary>
    /// Trust App Service authentication's <c>X-MS-CLIENT-PRINCIPAL-NAME</c>. The Functions host
    /// turns it on when App Service authentication is enabled (<c>WEBSITE_AUTH_ENABLED</c>), which
    /// is when the platform sets that header and drops any a client sent.
    /// </summary>
    public bool TrustPrincipalHeader { get; set; }

    /// <summary>LocalHost only: when set, every request but reads and predictions needs <c>X-Api-Key</c> with this value (401 without it).</summary>
    [MinLength(6, ErrorMessage = "Flywheel:Access:ApiKey needs at least 6 characters.")]
    public string? ApiKey { get; set; }

    /// <summary>LocalHost only: with <see cref="ApiKey"/> set, reads and predictions need the key too.</summary>
    public bool ApiKeyForReads { get; set; }
}
