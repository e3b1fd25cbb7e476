using System.Text.Json.Serialization;
using Flywheel.Contracts.Datasets;

namespace Flywheel.Datasets;

/// <summary>
/// Collects problems grouped by kind and column, keeping counts and the first few examples of each
/// (the lowest lines, whatever order the rows were checked in). Thread-safe: rows are profiled in parallel.
/// </summary>
public sealed class DataProblems
{
    public const int ExamplesPerProblem = 5;
    private readonly Dictionary<(string Kind, string? Column), Group> _groups = [];
    private readonly List<(string Kind, string? Column)> _order = [];

    public bool Any => _groups.Count > 0;

    /// <summary>Problems that make a file unreadable (as opposed to contract violations).</summary>
    public bool Unreadable { get; private set; }

    public void Add(string kind, string message, string? column = null, long? line = null, long? row = null, string? value = null, bool unreadable = false)
    {
        lock (_groups)
        {
            AddLocked(kind, message, column, line, row, value, unreadable);
        }
    }

    private void AddLocked(string kind, string message, string? column, long? line, long? row, string? value, bool unreadable)
    {
        var key = (kind, column);
        if (!_groups.TryGetValue(key, out var group))
        {
            group = new Group(message);
            _groups[key] = group;
            _order.Add(key);
        }

        group.Count++;
        if (line is not null || row is not null || value is not null)
        {
            // Examples stay in line order; one earlier than the kept ones (from a part of the file
            // checked on another thread) takes the place of the latest.
            var at = group.Examples.Count;
            while (line is not null && at > 0 && group.Examples[at - 1].Line > line)
            {
                at--;
            }

            if (at < ExamplesPerProblem)
            {
                group.Examples.Insert(at, new ProblemExample(line, row, column, Truncate(value)));
                if (group.Examples.Count > ExamplesPerProblem)
                {
                    group.Examples.RemoveAt(ExamplesPerProblem);
                }
            }
        }

        Unreadable |= unreadable;
    }

    public IReadOnlyList<DataProblem> ToList() =>
        [.. _order.Select(key => new DataProblem(key.Kind, _groups[key].Message, key.Column, _groups[key].Count, _groups[key].Examples))];

    private static string? Truncate(string? value) => value is { Length: > 200 } ? value[..200] + "…" : value;

    private sealed class Group(string message)
    {
        public string Message { get; } = message;

        public long Count { get; set; }

        public List<ProblemExample> Examples { get; } = [];
    }
}
