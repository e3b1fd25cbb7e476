namespace Flywheel.Monitoring.Drift;

/// <summary>The reference rows a run compares, resolved at plan time: from row <see cref="FirstRow"/> on, or with <see cref="Column"/> at or after <see cref="Since"/>.</summary>
public sealed record ReferenceSlice(long FirstRow = 0, string? Column = null, DateTimeOffset? Since = null)
{
    public bool Keeps(long row, DateTimeOffset? instant) => row >= FirstRow && (Column is null || instant >= Since);
}
