using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Flywheel.Api;

/// <summary>
/// The paging parameters every list takes (see <see cref="Paging"/>). Both are bound as text: a
/// page size that is not a plain number asks for the default page rather than a 400, and a token is
/// only meaningful once <see cref="Read"/> has checked it against the list it came from.
/// </summary>
public sealed record PageQuery
{
    [FromQuery(Name = "pageSize")]
    public string? PageSize { get; init; }

    [FromQuery(Name = "continuationToken")]
    public string? ContinuationToken { get; init; }

    /// <summary>The store's token (null for the first page) and the page size, 1-1000; a token not handed out for <paramref name="request"/>'s list is a 400.</summary>
    public (string? Token, int Size) Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var size = int.TryParse(PageSize, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : Paging.DefaultPageSize;
        return (string.IsNullOrEmpty(ContinuationToken) ? null : Paging.Decode(request, ContinuationToken), Math.Clamp(size, 1, Paging.MaxPageSize));
    }
}
