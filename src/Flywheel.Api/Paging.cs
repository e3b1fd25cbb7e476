using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Flywheel.Contracts;
using Flywheel.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Api;

/// <summary>
/// Every list takes <c>?pageSize=</c> (1-1000, default 100) and <c>?continuationToken=</c> from the
/// previous page (<see cref="PageQuery"/>). Tokens are the store's own, sealed in a versioned envelope with a tag over the
/// list they came from (path and every query parameter but the paging ones) and the store's token:
/// the store's tokens are positions in a table, so one from another list, another filter, or edited
/// would otherwise answer a page from the middle of this one. Any of those is a 400 instead.
/// </summary>
public static class Paging
{
    private const string Envelope = "fw2:";
    private const int TagLength = 16;

    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    /// <summary>The token a client sends back for the page after this one of <paramref name="request"/>'s list.</summary>
    public static string? Encode(HttpRequest request, string? token)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.IsNullOrEmpty(token) ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Envelope + Tag(request, token) + token));
    }

    internal static string Decode(HttpRequest request, string token)
    {
        try
        {
            if (Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)) is { } text && text.StartsWith(Envelope, StringComparison.Ordinal)
                && text.Length > Envelope.Length + TagLength && text[(Envelope.Length + TagLength)..] is var inner
                && string.Equals(text.Substring(Envelope.Length, TagLength), Tag(request, inner), StringComparison.Ordinal))
            {
                return inner;
            }
        }
        catch (FormatException)
        {
            // Reported below, like any other token that was not handed out.
        }

        throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidContinuationToken,
            "continuationToken is not one this list handed out: pass the previous page's continuationToken unchanged, with the same path and filters, or leave it out for the first page.");
    }

    /// <summary>
    /// Which list and position a token belongs to: a checksum, not a secret, because the store's token
    /// only ever names a position in data the caller may list anyway; it catches mix-ups and edits.
    /// </summary>
    private static string Tag(HttpRequest request, string token)
    {
        var list = new StringBuilder(request.Path.Value).Append('?');
        foreach (var (key, values) in request.Query.Where(p => p.Key is not ("pageSize" or "continuationToken")).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var value in values)
            {
                list.Append(key).Append('=').Append(value).Append('\0');
            }
        }

        list.Append('\n').Append(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(list.ToString())), 0, TagLength / 2);
    }

    public static Ok<Page<T>> Ok<T>(HttpRequest request, ListPage<T> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return TypedResults.Ok(new Page<T>(page.Items, Encode(request, page.ContinuationToken)));
    }
}
