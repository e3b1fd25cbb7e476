using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Flywheel.Errors;
using Flywheel.Storage;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api;

/// <summary>
/// Every list takes <c>?pageSize=</c> (1-1000, default 100) and <c>?continuationToken=</c> from the
/// previous page. Tokens are the store's own, sealed in a versioned envelope, so one that was not
/// handed out (edited, truncated, from another API) is a 400 instead of a quietly empty page.
/// </summary>
public static class Paging
{
    private const string Envelope = "fw1:";

    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static (string? Token, int Size) Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = request.Query["continuationToken"].ToString();
        var size = int.TryParse(request.Query["pageSize"], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : DefaultPageSize;
        return (string.IsNullOrEmpty(token) ? null : Decode(token), Math.Clamp(size, 1, MaxPageSize));
    }

    public static string? Encode(string? token) =>
        string.IsNullOrEmpty(token) ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Envelope + token));

    private static string Decode(string token)
    {
        try
        {
            if (Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)) is { } text && text.StartsWith(Envelope, StringComparison.Ordinal) && text.Length > Envelope.Length)
            {
                return text[Envelope.Length..];
            }
        }
        catch (FormatException)
        {
            // Reported below, like any other token that was not handed out.
        }

        throw new FlywheelException(ErrorKind.InvalidInput, "invalid-continuation-token",
            "continuationToken is not one this list handed out: pass the previous page's continuationToken unchanged, or leave it out for the first page.");
    }

    public static IResult Ok<T>(ListPage<T> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return Results.Json(new PageResponse<T>(page.Items, Encode(page.ContinuationToken)), Flywheel.Json.Options);
    }

    /// <summary>The list body: <c>continuationToken</c> is always present, null on the last page.</summary>
    private sealed record PageResponse<T>(
        IReadOnlyList<T> Items,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ContinuationToken);
}
