using System.Diagnostics;
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
public sealed record FittedCandidate(MLContext Context, ITransformer LabelPreparation, ITransformer Model, TrialSpec Spec, TimeSpan FitTime)
{
    /// <summary>Rows of a frame as the model sees them: the label prepared beside the raw columns.</summary>
    public IDataView Prepare(TrainingPlan plan, string csv) => LabelPreparation.Transform(CandidateTrainer.Load(Context, plan, csv));
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

    /// <summary>Hyperparameters each family takes (tree families share names).</summary>
    public static IReadOnlyList<string> TreeParameters { get; } = ["leaves", "learningRate", "iterations", "minLeafRows"];

    public static FittedCandidate Fit(TrainingPlan plan, IReadOnlyList<string>? classes, string trainCsv, TrialSpec spec)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(spec);
        var context = new MLContext(seed: plan.Request.Seed);
        var data = Load(context, plan, trainCsv);
        var started = Stopwatch.GetTimestamp();
        var preparation = Label(context, plan, classes).Fit(data);
        var model = Featurize(context, plan, spec.Trainer == "linear").Append(Trainer(context, plan, spec)).Fit(preparation.Transform(data));
        return new FittedCandidate(context, preparation, model, spec, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The candidate's metrics on the rows of <paramref name="csv"/> (a validation or test frame).</summary>
    public static IReadOnlyDictionary<string, double> Evaluate(TrainingPlan plan, FittedCandidate candidate, string csv)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(candidate);
        var context = candidate.Context;
        var scored = candidate.Model.Transform(candidate.Prepare(plan, csv));
        switch (plan.Task)
        {
            case TrainingTask.Binary:
                var binary = context.BinaryClassification.Evaluate(scored, LabelColumn);
                return new Dictionary<string, double>
                {
                    ["auc"] = binary.AreaUnderRocCurve,
                    ["prauc"] = binary.AreaUnderPrecisionRecallCurve,
                    ["accuracy"] = binary.Accuracy,
                    ["f1"] = binary.F1Score,
                    ["logloss"] = binary.LogLoss * Math.Log(2),
                };
            case TrainingTask.Multiclass:
                var multi = context.MulticlassClassification.Evaluate(scored, LabelColumn);
                var f1 = multi.ConfusionMatrix.PerClassPrecision.Zip(multi.ConfusionMatrix.PerClassRecall, (p, r) => p + r > 0 ? 2 * p * r / (p + r) : 0).Average();
                return new Dictionary<string, double>
                {
                    ["macro-logloss"] = multi.PerClassLogLoss.Average(),
                    ["logloss"] = multi.LogLoss,
                    ["macro-accuracy"] = multi.MacroAccuracy,
                    ["micro-accuracy"] = multi.MicroAccuracy,
                    ["macro-f1"] = f1,
                };
            default:
                var regression = context.Regression.Evaluate(scored, LabelColumn);
                return new Dictionary<string, double>
                {
                    ["rmse"] = regression.RootMeanSquaredError,
                    ["mae"] = regression.MeanAbsoluteError,
                    ["r2"] = regression.RSquared,
                };
        }
    }

    /// <summary>Whether a larger value of <paramref name="metric"/> is better.</summary>
    public static bool HigherIsBetter(string metric) => metric is not ("logloss" or "macro-logloss" or "rmse" or "mae");

    internal static IDataView Load(MLContext context, TrainingPlan plan, string csv)
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
        }).Load(csv);
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
        var seed = plan.Request.Seed;
        return (plan.Task, spec.Trainer) switch
        {
            (TrainingTask.Binary, "lightgbm") => context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, Seed = seed, Deterministic = true,
                NumberOfLeaves = Int("leaves", 31), LearningRate = Real("learningRate", 0.1), NumberOfIterations = Int("iterations", 100), MinimumExampleCountPerLeaf = Int("minLeafRows", 20),
            }),
            (TrainingTask.Multiclass, "lightgbm") => context.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, Seed = seed, Deterministic = true,
                NumberOfLeaves = Int("leaves", 31), LearningRate = Real("learningRate", 0.1), NumberOfIterations = Int("iterations", 100), MinimumExampleCountPerLeaf = Int("minLeafRows", 20),
            }),
            (TrainingTask.Regression, "lightgbm") => context.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, Seed = seed, Deterministic = true,
                NumberOfLeaves = Int("leaves", 31), LearningRate = Real("learningRate", 0.1), NumberOfIterations = Int("iterations", 100), MinimumExampleCountPerLeaf = Int("minLeafRows", 20),
            }),
            (TrainingTask.Binary, "fasttree") => context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn,
                NumberOfLeaves = Int("leaves", 20), LearningRate = Real("learningRate", 0.2), NumberOfTrees = Int("iterations", 100), MinimumExampleCountPerLeaf = Int("minLeafRows", 10),
            }),
            (TrainingTask.Regression, "fasttree") => context.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn,
                NumberOfLeaves = Int("leaves", 20), LearningRate = Real("learningRate", 0.2), NumberOfTrees = Int("iterations", 100), MinimumExampleCountPerLeaf = Int("minLeafRows", 10),
            }),
            (TrainingTask.Binary, "linear") => context.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, L2Regularization = (float)Real("l2", 1),
            }),
            (TrainingTask.Multiclass, "linear") => context.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, NumberOfThreads = 1,
            }),
            (TrainingTask.Regression, "linear") => context.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, NumberOfThreads = 1,
            }),
            _ => throw new ArgumentException($"'{spec.Trainer}' is not a {plan.Task} trainer.", nameof(spec)),
        };
    }
}
