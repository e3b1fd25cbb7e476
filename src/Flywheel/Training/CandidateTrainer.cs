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

    /// <summary>Boosting rounds of the tree families when a candidate does not say and does not stop early.</summary>
    public const int DefaultIterations = 100;

    /// <summary>
    /// The cap on an early-stopped candidate's rounds when it does not say: high enough that the
    /// smallest learning rate of the search space (0.02) usually stops on its own before it.
    /// </summary>
    public const int MaxEarlyStoppedIterations = 1000;

    /// <summary>Rounds without a better validation loss after which an early-stopped candidate stops (LightGBM's <c>early_stopping_round</c>).</summary>
    public const int EarlyStoppingPatience = 25;

    /// <summary>
    /// Whether a trainer's rounds are chosen on the validation rows (LightGBM's early stopping) rather
    /// than fixed. Not for multiclass: ML.NET does not expose a one-versus-all model's trees, so the
    /// rounds it kept could not be read back for the refit.
    /// </summary>
    public static bool StopsEarly(TrainingTask task, string trainer) => trainer == "lightgbm" && task != TrainingTask.Multiclass;

    /// <summary>Hyperparameters each family takes (tree families share names).</summary>
    public static IReadOnlyList<string> TreeParameters { get; } = ["leaves", "learningRate", "iterations", "minLeafRows"];

    /// <param name="frames">The CSV frames to fit on (train, or train and validation for the refit).</param>
    public static FittedCandidate Fit(TrainingPlan plan, IReadOnlyList<string>? classes, TrialSpec spec, params string[] frames) =>
        Fit(plan, classes, spec, frames, validation: null);

    /// <summary>A trial's fit: on the train frame, with the validation frame choosing the rounds of a trainer that stops early.</summary>
    public static FittedCandidate FitTrial(TrainingPlan plan, IReadOnlyList<string>? classes, TrialSpec spec, string train, string validation) =>
        Fit(plan, classes, spec, [train], validation);

    /// <summary>
    /// Fits on <paramref name="frames"/>; a trainer that stops early (<see cref="StopsEarly"/>) given a
    /// <paramref name="validation"/> frame boosts until its validation loss has not improved for
    /// <see cref="EarlyStoppingPatience"/> rounds and keeps the best round's trees. The fitted
    /// candidate's spec then says the rounds it chose (<c>iterations</c>) and the cap it was given
    /// (<c>maxIterations</c>), so a refit on train and validation boosts exactly those rounds.
    /// </summary>
    private static FittedCandidate Fit(TrainingPlan plan, IReadOnlyList<string>? classes, TrialSpec spec, string[] frames, string? validation)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(spec);
        var context = new MLContext(seed: plan.Request.Seed);
        var data = Load(context, plan, frames);
        var started = Stopwatch.GetTimestamp();
        var preparation = Label(context, plan, classes).Fit(data);
        var prepared = preparation.Transform(data);
        var early = validation is not null && StopsEarly(plan.Task, spec.Trainer);
        var trainer = Trainer(context, plan, spec, early);
        ITransformer model;
        var fitted = spec;
        if (early)
        {
            var featurizer = Featurize(context, plan, spec.Trainer == "linear").Fit(prepared);
            var predictor = trainer.FitWithValidation!(featurizer.Transform(prepared), featurizer.Transform(preparation.Transform(Load(context, plan, validation!))));
            model = featurizer.Append(predictor);
            fitted = spec with
            {
                Parameters = new Dictionary<string, double>(spec.Parameters, StringComparer.Ordinal)
                {
                    ["iterations"] = Rounds(predictor),
                    ["maxIterations"] = Iterations(spec, early),
                },
            };
        }
        else
        {
            model = Featurize(context, plan, spec.Trainer == "linear").Append(trainer.Estimator).Fit(prepared);
        }

        IReadOnlyList<string>? order = plan.Task switch
        {
            TrainingTask.Binary => Classes(classes),
            TrainingTask.Multiclass => KeyValues(preparation.GetOutputSchema(data.Schema)[LabelColumn]),
            _ => null,
        };
        return new FittedCandidate(context, preparation, model, fitted, Stopwatch.GetElapsedTime(started), order);
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

    /// <summary>A trainer, and for one that stops early the fit that watches a validation set.</summary>
    private sealed record TrainerChoice(IEstimator<ITransformer> Estimator, Func<IDataView, IDataView, ITransformer>? FitWithValidation = null);

    private static int Iterations(TrialSpec spec, bool early) =>
        spec.Parameters.TryGetValue("iterations", out var v) ? (int)Math.Round(v) : early ? MaxEarlyStoppedIterations : DefaultIterations;

    /// <summary>
    /// The rounds an early-stopped LightGBM model kept: its trees per class (ML.NET saves the booster
    /// at its best iteration, so the ensemble holds exactly the rounds chosen).
    /// </summary>
    private static int Rounds(ITransformer predictor) => predictor switch
    {
        IPredictionTransformer<object> { Model: var model } => Trees(model),
        _ => throw new InvalidOperationException($"{predictor.GetType().Name} is not a prediction transformer."),
    };

    private static int Trees(object model) => model switch
    {
        TreeEnsembleModelParametersBasedOnRegressionTree ensemble => ensemble.TrainedTreeEnsemble.Trees.Count,
        Microsoft.ML.Calibrators.CalibratedModelParametersBase<LightGbmBinaryModelParameters, Microsoft.ML.Calibrators.PlattCalibrator> calibrated => Trees(calibrated.SubModel),
        _ => throw new InvalidOperationException($"Cannot count the trees of {model.GetType().Name}."),
    };

    private static TrainerChoice Trainer(MLContext context, TrainingPlan plan, TrialSpec spec, bool early)
    {
        var p = spec.Parameters;
        int Int(string name, int fallback) => p.TryGetValue(name, out var v) ? (int)Math.Round(v) : fallback;
        double Real(string name, double fallback) => p.TryGetValue(name, out var v) ? v : fallback;
        float? L2() => p.TryGetValue("l2", out var v) ? (float)v : null;
        var seed = plan.Request.Seed;
        var rounds = Iterations(spec, early);
        var patience = early ? EarlyStoppingPatience : 0;
        switch (plan.Task, spec.Trainer)
        {
            case (TrainingTask.Binary, "lightgbm"):
                var binary = context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
                {
                    LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, Seed = seed, Deterministic = true, EarlyStoppingRound = patience,
                    EvaluationMetric = plan.Metric == "auc" ? LightGbmBinaryTrainer.Options.EvaluateMetricType.AreaUnderCurve : LightGbmBinaryTrainer.Options.EvaluateMetricType.Logloss,
                    NumberOfLeaves = Int("leaves", 31), LearningRate = Real("learningRate", 0.1), NumberOfIterations = rounds, MinimumExampleCountPerLeaf = Int("minLeafRows", 20),
                });
                return new(binary, (train, validation) => binary.Fit(train, validation));
            case (TrainingTask.Regression, "lightgbm"):
                var regression = context.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
                {
                    LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, Seed = seed, Deterministic = true, EarlyStoppingRound = patience,
                    EvaluationMetric = plan.Metric == "mae" ? LightGbmRegressionTrainer.Options.EvaluateMetricType.MeanAbsoluteError : LightGbmRegressionTrainer.Options.EvaluateMetricType.RootMeanSquaredError,
                    NumberOfLeaves = Int("leaves", 31), LearningRate = Real("learningRate", 0.1), NumberOfIterations = rounds, MinimumExampleCountPerLeaf = Int("minLeafRows", 20),
                });
                return new(regression, (train, validation) => regression.Fit(train, validation));
        }

        return new((plan.Task, spec.Trainer) switch
        {
            (TrainingTask.Multiclass, "lightgbm") => context.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn, Seed = seed, Deterministic = true,
                NumberOfLeaves = Int("leaves", 31), LearningRate = Real("learningRate", 0.1), NumberOfIterations = rounds, MinimumExampleCountPerLeaf = Int("minLeafRows", 20),
            }),
            (TrainingTask.Binary, "fasttree") => context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn,
                NumberOfLeaves = Int("leaves", 20), LearningRate = Real("learningRate", 0.2), NumberOfTrees = rounds, MinimumExampleCountPerLeaf = Int("minLeafRows", 10),
            }),
            (TrainingTask.Regression, "fasttree") => context.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = FeaturesColumn,
                NumberOfLeaves = Int("leaves", 20), LearningRate = Real("learningRate", 0.2), NumberOfTrees = rounds, MinimumExampleCountPerLeaf = Int("minLeafRows", 10),
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
        });
    }
}
