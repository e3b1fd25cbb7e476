using System.Globalization;

namespace Flywheel.Serving.Outputs;

/// <summary>What one row's answer is, for comparing two versions' answers and counting labels.</summary>
internal enum AnswerKind
{
    /// <summary>A classifier's predicted label (its probabilities are left aside).</summary>
    Label,

    /// <summary>A regressor's one number per row (NaN for a value that is not finite).</summary>
    Number,

    /// <summary>Anything else (several outputs, several targets, sequences): compared as written.</summary>
    Other,
}

/// <summary>One row's answer, typed: read from the model's outputs without making the row's object where it can be.</summary>
internal readonly record struct RowAnswer(AnswerKind Kind, string? Label, double Number, object? Value)
{
    public static RowAnswer OfLabel(string label) => new(AnswerKind.Label, label, 0, null);

    public static RowAnswer OfNumber(double number) => new(AnswerKind.Number, null, number, null);

    public static RowAnswer OfValue(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> { Count: 2 } pair when pair.TryGetValue("label", out var label) && pair.ContainsKey("probabilities") => OfLabel(PredictionAnswers.LabelText(label)),
        null => OfNumber(double.NaN),
        float or double or long or int or short or sbyte or byte or ushort or uint or ulong or Half => OfNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        _ => new(AnswerKind.Other, null, 0, value),
    };
}

/// <summary>
/// Reads predictions as answers (<see cref="OutputShaper"/>'s shapes, as <see cref="ShapedPredictions"/> or as
/// their row objects): the labels a classifier predicted, and whether a shadow version's answers agree with the
/// answering version's.
/// </summary>
public static class PredictionAnswers
{
    /// <summary>Absolute part of the regression tolerance: answers near zero agree when both are within it of each other.</summary>
    public const double AbsoluteTolerance = 1e-6;

    /// <summary>Relative part of the regression tolerance: 5% of the answering version's value.</summary>
    public const double RelativeTolerance = 0.05;

    /// <summary>
    /// Whether <paramref name="candidate"/> (the shadow's answers) agrees with <paramref name="champion"/> (the answers the
    /// caller got): the same number of rows, and every row agreeing. Classifiers agree on a row when they predict the same
    /// label, whatever their probabilities (two forests trained apart never give the same probabilities to the last digit,
    /// and the label is what the caller acts on). Regressors agree on a row when
    /// |candidate - champion| &lt;= <see cref="AbsoluteTolerance"/> + <see cref="RelativeTolerance"/> x |champion|: 5% is
    /// well inside what a retrained regressor may move without anyone acting differently, and far below what a broken one
    /// (wrong units, a shifted feature, a constant) moves; the absolute 1e-6 keeps answers at or near zero from needing an
    /// exact match. Two values that are not finite agree with each other only. Any other answer (several outputs or
    /// targets, sequences) agrees only when it is written the same; a classifier never agrees with a regressor.
    /// </summary>
    public static bool Agrees(IReadOnlyList<object?> candidate, IReadOnlyList<object?> champion)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(champion);
        if (candidate.Count != champion.Count)
        {
            return false;
        }

        for (var row = 0; row < candidate.Count; row++)
        {
            if (!Agrees(Answer(candidate, row), Answer(champion, row)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The label a classifier predicted for <paramref name="row"/>; null when the predictions are not a classifier's.</summary>
    public static string? Label(IReadOnlyList<object?> predictions, int row)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        return predictions is ShapedPredictions shaped ? shaped.LabelOutput?.LabelText(row) : Answer(predictions, row) is { Kind: AnswerKind.Label } answer ? answer.Label : null;
    }

    /// <summary>A label as text: integer classes as <see cref="OutputValue.ClassLabel"/> writes them (the common ones made once).</summary>
    public static string LabelText(object? label) => label switch
    {
        null => "null",
        string text => text,
        long number => OutputValue.ClassLabel(number),
        int number => OutputValue.ClassLabel(number),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => label.ToString() ?? string.Empty,
    };

    private static RowAnswer Answer(IReadOnlyList<object?> predictions, int row) =>
        predictions is ShapedPredictions shaped ? shaped.Answer(row) : RowAnswer.OfValue(predictions[row]);

    private static bool Agrees(RowAnswer candidate, RowAnswer champion) => (candidate.Kind, champion.Kind) switch
    {
        (AnswerKind.Label, AnswerKind.Label) => string.Equals(candidate.Label, champion.Label, StringComparison.Ordinal),
        (AnswerKind.Number, AnswerKind.Number) => Close(candidate.Number, champion.Number),
        (AnswerKind.Other, AnswerKind.Other) => PredictionsJsonConverter.ToUtf8([candidate.Value]).AsSpan().SequenceEqual(PredictionsJsonConverter.ToUtf8([champion.Value])),
        _ => false,
    };

    private static bool Close(double candidate, double champion) =>
        double.IsFinite(candidate) && double.IsFinite(champion)
            ? Math.Abs(candidate - champion) <= AbsoluteTolerance + (RelativeTolerance * Math.Abs(champion))
            : !double.IsFinite(candidate) && !double.IsFinite(champion);
}
