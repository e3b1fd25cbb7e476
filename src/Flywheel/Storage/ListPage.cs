namespace Flywheel.Storage;

/// <summary>A page of a list, with the token that fetches the next page (null on the last).</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? ContinuationToken);
