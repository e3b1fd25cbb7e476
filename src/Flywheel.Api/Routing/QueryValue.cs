using System.Globalization;

namespace Flywheel.Api.Routing;

/// <summary>How a query record reads its text values: one rule for times, so every route takes the same ISO 8601 forms.</summary>
public static class QueryValue
{
    /// <summary>Null for an absent or empty value; a time without an offset is UTC; anything else throws the 400 <paramref name="invalid"/> words for the text.</summary>
    public static DateTimeOffset? Time(string? text, Func<string, string> invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidQuery, invalid(text));
    }

    /// <summary>Null for an absent or empty value, else the value.</summary>
    public static string? Text(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
