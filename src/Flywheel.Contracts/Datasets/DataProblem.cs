using System.Text.Json.Serialization;

namespace Flywheel.Contracts.Datasets;

/// <summary>One kind of problem found in a file, how often, and the first places it happened.</summary>
public sealed record DataProblem(string Kind, string Message, string? Column, long Count, IReadOnlyList<ProblemExample> Examples);

/// <summary>Where a problem happened: physical line (the header is line 1), data row (1-based), column and value.</summary>
public sealed record ProblemExample(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Line,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Row,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Column,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Value);
