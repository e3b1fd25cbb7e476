using Flywheel.Contracts.Training;

namespace Flywheel.Training.Evaluation;

/// <summary>
/// A model's answers on labelled rows, whoever computed them (ML.NET during the search, ONNX
/// Runtime for the export, the serving path for the champion), so every metric is computed by one
/// piece of code. <see cref="Truth"/> is 0/1 (binary), a class index (multiclass) or the value
/// (regression); <see cref="Values"/> holds per row the positive class's probability (binary), the
/// class probabilities in <see cref="Classes"/> order (multiclass, row-major) or the prediction (regression).
/// </summary>
public sealed record ScoredRows(TrainingTask Task, double[] Truth, double[] Values, IReadOnlyList<string>? Classes)
{
    public int Rows => Truth.Length;

    /// <summary>Values per row: the class count for multiclass, else one.</summary>
    public int Width => Task == TrainingTask.Multiclass ? Classes!.Count : 1;

    /// <summary>The predicted class index of a classification row (the positive class at 0.5 for binary; ties go to the first class).</summary>
    public int PredictedClass(int row)
    {
        if (Task == TrainingTask.Binary)
        {
            return Values[row] > 0.5 ? 1 : 0;
        }

        var width = Width;
        var best = 0;
        for (var c = 1; c < width; c++)
        {
            if (Values[(row * width) + c] > Values[(row * width) + best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>The probability the model gave the row's true class.</summary>
    public double TrueClassProbability(int row) => Task == TrainingTask.Binary
        ? (Truth[row] == 1 ? Values[row] : 1 - Values[row])
        : Values[(row * Width) + (int)Truth[row]];
}
