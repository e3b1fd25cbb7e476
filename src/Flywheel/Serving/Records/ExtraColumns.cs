namespace Flywheel.Serving.Records;

/// <summary>
/// What records columns the model does not take do to a request. Refusing is the default, so a
/// misspelt column is never dropped silently; ignoring lets a caller send the rows it has in hand
/// (with the label, an id) and tells it which columns were left out. A column the model names (an
/// input, a registered feature) is never ignored, and rows are always bound by name.
/// </summary>
public enum ExtraColumns
{
    Reject,
    Ignore,
}

/// <summary>
/// The <c>extraColumns</c> setting as callers write it (the predict routes' query parameter, or a
/// member of a JSON body beside its rows): read into <see cref="ExtraColumns"/> where it arrives,
/// and settled once when it arrives both ways.
/// </summary>
public static class ExtraColumnsSetting
{
    public const string Name = "extraColumns";

    /// <summary>The values, for messages that refuse another.</summary>
    public const string Choices = "reject (the default: a column the model does not take is a 400) or ignore (such columns are left out of what the model sees, and counted and named in the answer's headers)";

    /// <summary>The hint a refused request gets: the two ways to ask for <see cref="ExtraColumns.Ignore"/>.</summary>
    public const string IgnoreHint = "send \"extraColumns\": \"ignore\" beside the rows (or ?extraColumns=ignore, which a CSV body needs)";

    /// <summary>Reads <c>reject</c> or <c>ignore</c> (in any case); false for anything else.</summary>
    public static bool TryParse(string? text, out ExtraColumns value)
    {
        if (string.Equals(text, "reject", StringComparison.OrdinalIgnoreCase))
        {
            value = ExtraColumns.Reject;
            return true;
        }

        value = ExtraColumns.Ignore;
        return string.Equals(text, "ignore", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The setting a request asked for: the query's or the body's, the same when it gave both; <see cref="ExtraColumns.Reject"/> when neither.</summary>
    /// <exception cref="PredictionInputException">The query and the body ask for different things: guessing which one meant it could drop a column silently.</exception>
    public static ExtraColumns Settle(ExtraColumns? query, ExtraColumns? body) => (query, body) switch
    {
        ({ } q, { } b) when q != b => throw new PredictionInputException(
            $"{Name} is {Text(q)} in the query but {Text(b)} in the body: send it one way."),
        _ => query ?? body ?? ExtraColumns.Reject,
    };

    private static string Text(ExtraColumns value) => value == ExtraColumns.Ignore ? "ignore" : "reject";
}
