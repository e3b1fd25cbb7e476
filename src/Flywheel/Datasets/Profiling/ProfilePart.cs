namespace Flywheel.Datasets.Profiling;

/// <summary>
/// The profile of some of a file's rows, with a profiler of its own per column: one per worker, so
/// rows are profiled on every core without sharing state, and merged into the file's profile when
/// the file is read (<see cref="ColumnProfiler.Merge"/> says what a merge keeps exact).
/// Not thread-safe: one thread observes a part at a time.
/// </summary>
public sealed class ProfilePart
{
    private readonly DatasetProfiler _owner;
    private readonly DataProblems _problems;

    internal ProfilePart(DatasetProfiler owner, ColumnProfiler[] columns, DataProblems problems)
    {
        _owner = owner;
        Columns = columns;
        _problems = problems;
    }

    internal ColumnProfiler[] Columns { get; }

    /// <summary>Observes a cell of data row <paramref name="row"/> (a missing marker counts as missing).</summary>
    public void Observe(int column, ReadOnlySpan<byte> value, long line, long row)
    {
        var profiler = Columns[column];
        if (_owner.IsMissing(value))
        {
            profiler.ObserveMissing(line, row, _problems);
        }
        else
        {
            profiler.Observe(value, line, row, _problems);
        }
    }

    /// <summary>Observes an absent cell of data row <paramref name="row"/>.</summary>
    public void ObserveMissing(int column, long line, long row) => Columns[column].ObserveMissing(line, row, _problems);
}
