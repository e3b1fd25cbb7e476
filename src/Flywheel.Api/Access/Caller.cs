using Flywheel.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Flywheel.Api.Access;

/// <summary>
/// Who is making a change, for audit history: the authenticated principal; else App Service
/// authentication's principal header, where the platform vouches for it; else <see cref="UserHeader"/>
/// on a LocalHost configured to trust it; else how the call was authorized (<c>function-key</c>,
/// <c>api-key</c>), so history never holds a name the caller merely claimed.
/// </summary>
public sealed class Caller(IOptions<AccessOptions> options)
{
    public const string UserHeader = WireHeaders.User;
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL-NAME";
    public const string ApiKeyHeader = WireHeaders.ApiKey;

    /// <summary>Longest name recorded (audit rows are table rows).</summary>
    public const int MaxNameChars = 256;

    public string? Name(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var name = request.HttpContext.User.Identity?.Name
            ?? (settings.TrustPrincipalHeader && request.Headers[PrincipalHeader].ToString() is { Length: > 0 } principal ? principal : null)
            ?? (settings.TrustUserHeader && request.Headers[UserHeader].ToString() is { Length: > 0 } user ? user : null)
            ?? KeyName(request, settings);
        return name is { Length: > MaxNameChars }
            ? throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidCaller, $"The caller's name has {name.Length:N0} characters; the limit is {MaxNameChars}.")
            : name;
    }

    // The key this host checked names the call: a LocalHost with an API key checked X-Api-Key even when a client (the
    // console, the .NET client, the CLI) also sent x-functions-key so one setting works against either host.
    private static string? KeyName(HttpRequest request, AccessOptions settings) =>
        settings.ApiKey is not null && request.Headers.ContainsKey(ApiKeyHeader) ? "api-key"
        : request.Headers.ContainsKey("x-functions-key") || request.Query.ContainsKey("code") ? "function-key"
        : request.Headers.ContainsKey(ApiKeyHeader) ? "api-key"
        : null;
}
