using System.Text.Json.Serialization;
using System.Xml;
using Flywheel.Contracts.Errors;

namespace Flywheel.Contracts.Monitoring;

/// <summary>
/// The part of the reference dataset version the inputs are compared with when data moves in time:
/// its last <see cref="Rows"/> rows in stored order, or the rows whose date-time <see cref="Column"/>
/// lies within <see cref="Window"/> (ISO 8601) of the column's latest value. After a retrain on newer
/// data the reference (the new version's lineage) ends where the new data ends, so an alarm raised
/// by old rows can clear.
/// </summary>
public sealed record RecentReference(int? Rows = null, string? Column = null, string? Window = null)
{
    /// <summary>The window as a duration; valid after <see cref="Validate"/>.</summary>
    [JsonIgnore]
    public TimeSpan Span => XmlConvert.ToTimeSpan(Window!);

    public void Validate()
    {
        var byRows = Rows is not null;
        var byTime = Column is not null || Window is not null;
        if (byRows == byTime)
        {
            throw Invalid("recent takes either rows (the last N rows, e.g. {\"rows\": 5000}) or a date-time column and a window (e.g. {\"column\": \"date\", \"window\": \"P30D\"}).");
        }

        if (Rows is < 1)
        {
            throw Invalid($"recent.rows must be at least 1; it is {Rows}.");
        }

        if (byTime && (string.IsNullOrWhiteSpace(Column) || Window is null))
        {
            throw Invalid("recent needs both column (a date-time column of the reference) and window (an ISO 8601 duration such as P30D).");
        }

        if (byTime)
        {
            TimeSpan span;
            try
            {
                span = Span;
            }
            catch (FormatException)
            {
                throw Invalid($"recent.window must be an ISO 8601 duration such as P30D; it is '{Window}'.");
            }

            if (span <= TimeSpan.Zero)
            {
                throw Invalid($"recent.window must be positive; it is '{Window}'.");
            }
        }
    }

    private static FlywheelException Invalid(string detail) => new(ErrorKind.InvalidInput, ProblemTypes.InvalidMonitoring, detail);
}
