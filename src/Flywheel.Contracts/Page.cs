using System.Text.Json.Serialization;

namespace Flywheel.Contracts;

/// <summary>A page of any list: <c>continuationToken</c> is always present, null on the last page; pass it back unchanged for the next.</summary>
public sealed record Page<T>(
    IReadOnlyList<T> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ContinuationToken);
