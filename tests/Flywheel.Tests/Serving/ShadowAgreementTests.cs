using Flywheel.Serving.Outputs;

namespace Flywheel.Tests.Serving;

/// <summary>Whether a shadow's answers agree with the answering version's: typed, per row, as the shadow compares them.</summary>
public sealed class ShadowAgreementTests
{
    [Fact]
    public void Classifiers_agree_on_the_same_labels_whatever_their_probabilities()
    {
        var champion = Classifier([0, 2, 1], [0.9f, 0.1f, 0.2f, 0.8f, 0.4f, 0.6f]);
        var close = Classifier([0, 2, 1], [0.85f, 0.15f, 0.3f, 0.7f, 0.45f, 0.55f]);
        var relabelled = Classifier([0, 2, 2], [0.9f, 0.1f, 0.2f, 0.8f, 0.4f, 0.6f]);

        Assert.True(PredictionAnswers.Agrees(close, champion));
        Assert.False(PredictionAnswers.Agrees(relabelled, champion));
        Assert.False(PredictionAnswers.Agrees(Classifier([0, 2], [0.9f, 0.1f, 0.2f, 0.8f]), champion));

        // The rows as objects (a row-by-row model, a logged answer) read the same way.
        Assert.True(PredictionAnswers.Agrees(close.ToList(), champion));
        Assert.False(PredictionAnswers.Agrees(relabelled.ToList(), champion.ToList()));
    }

    [Theory]
    [InlineData(100.0, 104.9, true)]
    [InlineData(100.0, 95.1, true)]
    [InlineData(100.0, 105.1, false)]
    [InlineData(-100.0, -94.0, false)]
    [InlineData(0.0, 0.0000009, true)]
    [InlineData(0.0, 0.00001, false)]
    [InlineData(double.NaN, double.NaN, true)]
    [InlineData(1.0, double.NaN, false)]
    public void Regressors_agree_within_five_percent_of_the_champion_plus_a_millionth(double champion, double candidate, bool agrees)
    {
        Assert.Equal(agrees, PredictionAnswers.Agrees(Regressor(candidate), Regressor(champion)));
        Assert.Equal(agrees, PredictionAnswers.Agrees([double.IsFinite(candidate) ? candidate : null], Regressor(champion)));
    }

    [Fact]
    public void Every_row_must_agree_and_a_classifier_never_agrees_with_a_regressor()
    {
        var rows = new ShapedPredictions([new OutputValue("variable", "float", [2, 1], new[] { 10f, 20f }, null)], 2);
        var secondOff = new ShapedPredictions([new OutputValue("variable", "float", [2, 1], new[] { 10f, 30f }, null)], 2);

        Assert.False(PredictionAnswers.Agrees(secondOff, rows));
        Assert.False(PredictionAnswers.Agrees(Classifier([1, 1], [0.5f, 0.5f, 0.5f, 0.5f]), rows));
        Assert.Equal("7", PredictionAnswers.Label(Classifier([7], [1f, 0f]), 0));
        Assert.Null(PredictionAnswers.Label(rows, 0));
    }

    private static ShapedPredictions Classifier(long[] labels, float[] probabilities) =>
        new([new OutputValue("output_label", "int64", [labels.Length], labels, null), new OutputValue("probabilities", "float", [labels.Length, 2], probabilities, null)], labels.Length);

    private static ShapedPredictions Regressor(double value) => new([new OutputValue("variable", "double", [1], new[] { value }, null)], 1);
}
