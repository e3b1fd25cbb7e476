using System.Globalization;
using System.Text.Json.Serialization;
using Flywheel.Storage;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api;

/// <summary>Every list takes <c>?pageSize=</c> (1-1000, default 100) and <c>?continuationToken=</c> from the previous page.</summary>
public static class Paging
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static (string? Token, int Size) Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = request.Query["continuationToken"].ToString();
        var size = int.TryParse(request.Query["pageSize"], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : DefaultPageSize;
        return (string.IsNullOrEmpty(token) ? null : token, Math.Clamp(size, 1, MaxPageSize));
    }

    public static IResult Ok<T>(ListPage<T> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return Results.Json(new PageResponse<T>(page.Items, page.ContinuationToken), Flywheel.Json.Options);
    }

    /// <summary>The list body: <c>continuationToken</c> is always present, null on the last page.</summary>
    private sealed record PageResponse<T>(
        IReadOnlyList<T> Items,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ContinuationToken);
}
