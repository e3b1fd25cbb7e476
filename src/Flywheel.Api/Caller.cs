using Microsoft.AspNetCore.Http;

namespace Flywheel.Api;

/// <summary>Who is making a change, for audit history: the authenticated principal, else the App Service principal header, else <see cref="UserHeader"/>.</summary>
public static class Caller
{
    public const string UserHeader = "X-Flywheel-User";

    public static string? Name(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HttpContext.User.Identity?.Name
            ?? (request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"].ToString() is { Length: > 0 } principal ? principal : null)
            ?? (request.Headers[UserHeader].ToString() is { Length: > 0 } user ? user : null);
    }
}
