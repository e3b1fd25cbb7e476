using System.Diagnostics;
using Flywheel.Contracts.Training;
using Flywheel.Training.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Flywheel.Training;

/// <summary>One candidate: a trainer family and its hyperparameters (absent ones take the trainer's defaults).</summary>
public sealed record TrialSpec(string Trainer, IReadOnlyDictionary<string, double> Parameters);

/// <summary>
/// A fitted candidate: the label's preparation (kept out of the model, so the exported graph never
/// reads the label), the model (featurization and trainer) and the context they were made in.
/// </summary>
/// <param name="Classes">The classes in the order the model's scores and keys use (null for regression).</param>
public sealed record FittedCandidate(MLContext Context, ITransformer LabelPreparation, ITransformer Model, TrialSpec Spec, TimeSpan FitTime, IReadOnlyList<string>? Classes)
{
    /// <summary>Rows of frames as the model sees them: the label prepared beside the raw columns.</summary>
    public IDataView Prepare(TrainingPlan plan, params string[] csv) => LabelPreparation.Transform(CandidateTrainer.Load(Context, plan, csv));
}

/// <summary>
/// Fits and scores candidates on the split's CSV frames with ML.NET, in one <see cref="MLContext"/>
/// per fit seeded with the run's seed (a shared context makes seeded results depend on the order of
/// fits). Features go in by kind: numbers with missing values replaced by the mean, categories
/// one-hot; linear trainers see min-max normalized features (SDCA silently learns nothing without).
/// Metrics are named and scaled as Flywheel reports them: log-losses in nats (ML.NET's binary
/// log-loss is in bits).
/// </summary>
public static class CandidateTrainer
{
    /// <summary>The prepared label's column (a boolean, a key or a float); the raw label keeps its dataset name.</summary>
    public const string LabelColumn = "Label";
    private const string FeaturesColumn = "Features";

    /// <summary>Boosting rounds of the tree families when a candidate does not say.</summary>
    public const int DefaultIterations = 100;

    /// <summary>Hyperparameters each family takes (tree families share names).</summary>
    public static IReadOnlyList<string> TreeParameters { get; } = ["leaves", "learningRate", "iterations", "minLeafRows"];

    /// <param name="frames">The CSV frames to fit on (train, or train and validation for the refit).</param>
    public static FittedCandidate Fit(TrainingPlan plan, IReadOnlyList<string>? classes, TrialSpec spec, params string[] frames)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(spec);
        var context = new MLContext(seed: plan.Request.Seed);
        var data = Load(context, plan, frames);
        var started = Stopwatch.GetTimestamp();
        var preparation = Label(context, plan, classes).Fit(data);
        var model = Featurize(context, plan, spec.Trainer == "linear").Append(Trainer(context, plan, spec)).Fit(preparation.Transform(data));
        IReadOnlyList<string>? order = plan.Task switch
        {
            TrainingTask.Binary => Classes(classes),
            TrainingTask.Multiclass => KeyValues(preparation.GetOutputSchema(data.Schema)[LabelColumn]),
            _ => null,
        };
        return new FittedCandidate(context, preparation, model, spec, Stopwatch.GetElapsedTime(started), order);
    }

    /// <summary>The candidate's metrics on the rows of <paramref name="csv"/> (a validation or test frame).</summary>
    public static SortedDictionary<string, double> Evaluate(TrainingPlan plan, FittedCandidate candidate, string csv) =>
        TrainingMetrics.Compute(Score(plan, candidate, csv));

    /// <summary>ML.NET's answers on the rows of <paramref name="csv"/>, with their true labels.</summary>
    public static ScoredRows Score(TrainingPlan plan, FittedCandidate candidate, string csv)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(candidate);
        var scored = candidate.Model.Transform(candidate.Prepare(plan, csv));
        return plan.Task switch
        {
            TrainingTask.Binary => new ScoredRows(plan.Task,
                [.. scored.GetColumn<bool>(LabelColumn).Select(l => l ? 1.0 : 0.0)], [.. scored.GetColumn<float>("Probability").Select(p => (double)p)], candidate.Classes),
            TrainingTask.Multiclass => new ScoredRows(plan.Task,
                [.. scored.GetColumn<uint>(LabelColumn).Select(k => k - 1.0)], [.. scored.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).Select(p => (double)p)], candidate.Classes),
            _ => new ScoredRows(plan.Task,
                [.. scored.GetColumn<float>(LabelColumn).Select(v => (double)v)], [.. scored.GetColumn<float>("Score").Select(v => (double)v)], null),
        };
    }

    private static List<string> KeyValues(DataViewSchema.Column column)
    {
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.GetKeyValues(ref values);
        return [.. values.DenseValues().Select(v => v.ToString())];
    }

    internal static IDataView Load(MLContext context, TrainingPlan plan, params string[] csv)
    {
        var columns = plan.Features.Select((f, i) => new TextLoader.Column(f.Name, f.Kind == FeatureKind.Numeric ? DataKind.Single : DataKind.String, i)).ToList();
        columns.Add(new TextLoader.Column(plan.Request.Label, plan.Task == TrainingTask.Regression ? DataKind.Single : DataKind.String, plan.Features.Count));
        return context.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = [.. columns],
            HasHeader = true,
            Separators = [','],
            AllowQuoting = true,
            MissingRealsAsNaNs = true,
        }).Load(new MultiFileSource(csv));
    }

    /// <summary>The label as the trainer wants it: a boolean (the second class in ordinal order is positive), a key by sorted value, or a float.</summary>
    private static IEstimator<ITransformer> Label(MLContext context, TrainingPlan plan, IReadOnlyList<string>? classes)
    {
        var label = plan.Request.Label;
        return plan.Task switch
        {
            TrainingTask.Binary => context.Transforms.Conversion.MapValue(LabelColumn,
                new Dictionary<string, bool> { [Classes(classes)[0]] = false, [Classes(classes)[1]] = true }, label),
            TrainingTask.Multiclass => context.Transforms.Conversion.MapValueToKey(LabelColumn, label, keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue),
            _ => context.Transforms.CopyColumns(LabelColumn, label),
        };
    }

    private static IReadOnlyList<string> Classes(IReadOnlyList<string>? classes) =>
        classes is { Count: 2 } ? classes : throw new InvalidOperationException("A binary task needs its two classes (the split lists them).");

    private static IEstimator<ITransformer> Featurize(MLContext context, TrainingPlan plan, bool normalize)
    {
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        var numeric = plan.Features.Where(f => f.Kind == FeatureKind.Numeric).Select(f => new InputOutputColumnPair(f.Name)).ToArray();
        var categorical = plan.Features.Where(f => f.Kind == FeatureKind.Categorical).Select(f => new InputOutputColumnPair(f.Name)).ToArray();
        if (numeric.Length > 0)
        {
            pipeline = pipeline.Append(context.Transforms.ReplaceMissingValues(numeric, Microsoft.ML.Transforms.MissingValueReplacingEstimator.ReplacementMode.Mean));
        }

        if (categorical.Length > 0)
        {
            pipeline = pipeline.Append(context.Transforms.Categorical.OneHotEncoding(categorical));
        }

        foreach (var hashed in plan.Features.Where(f => f.Kind == FeatureKind.Hashed))
        {
            pipeline = pipeline.Append(context.Transforms.Categorical.OneHotHashEncoding(hashed.Name, numberOfBits: hashed.HashBits));
        }

        pipeline = pipeline.Append(context.Transforms.Concatenate(FeaturesColumn, [.. plan.Features.Select(f => f.Name)]));
        if (normalize)
        {
            pipeline = pipeline.Append(context.Transforms.NormalizeMinMax(FeaturesColumn));
        }

        return pipeline.AppendCacheCheckpoint(context);
    }

    private static IEstimator<ITransformer> Trainer(MLContext context, TrainingPlan plan, TrialSpec spec)
    {
        var p = spec.Parameters;
        int Int(string name, int fallback) => p.TryGetValue(name, out var v) ? (int)Math.Round(v) : fallback;
        double Real(string name, double fallback) => p.TryGetValue(name, out var v) ? v : fallback;
        float? L2() => p.TryGetValue("l2", out var v) ? (float)v : null;
        var seed = plan.Request.Seed;
        return (plan.Task, spec.Trainer) switch
        {
            (TrainingTask.Binary, "lightgbm") => context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, Seed = seed, Deterministic = true,
                NumberOfLeaves = Int("leaves", 31), LearningRate = Real("learningRate", 0.1), NumberOfIterations = Int("iterations", DefaultIterations), MinimumExampleCountPerLeaf = Int("minLeafRows", 20),
            }),
            (TrainingTask.Multiclass, "lightgbm") => context.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, Seed = seed, Deterministic = true,
                NumberOfLeaves = Int("leaves", 31), LearningRate = Real("learningRate", 0.1), NumberOfIterations = Int("iterations", DefaultIterations), MinimumExampleCountPerLeaf = Int("minLeafRows", 20),
            }),
            (TrainingTask.Regression, "lightgbm") => context.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, Seed = seed, Deterministic = true,
                NumberOfLeaves = Int("leaves", 31), LearningRate = Real("learningRate", 0.1), NumberOfIterations = Int("iterations", DefaultIterations), MinimumExampleCountPerLeaf = Int("minLeafRows", 20),
            }),
            (TrainingTask.Binary, "fasttree") => context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn,
                NumberOfLeaves = Int("leaves", 20), LearningRate = Real("learningRate", 0.2), NumberOfTrees = Int("iterations", DefaultIterations), MinimumExampleCountPerLeaf = Int("minLeafRows", 10),
            }),
            (TrainingTask.Regression, "fasttree") => context.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn,
                NumberOfLeaves = Int("leaves", 20), LearningRate = Real("learningRate", 0.2), NumberOfTrees = Int("iterations", DefaultIterations), MinimumExampleCountPerLeaf = Int("minLeafRows", 10),
            }),
            (TrainingTask.Binary, "linear") => context.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, L2Regularization = (float)Real("l2", 1),
            }),
            (TrainingTask.Multiclass, "linear") => context.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, NumberOfThreads = 1, L2Regularization = L2(),
            }),
            (TrainingTask.Regression, "linear") => context.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, NumberOfThreads = 1, L2Regularization = L2(),
            }),
            _ => throw new ArgumentException($"'{spec.Trainer}' is not a {plan.Task} trainer.", nameof(spec)),
        };
    }
}
