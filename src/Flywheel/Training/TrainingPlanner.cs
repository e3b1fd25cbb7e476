using System.Globalization;
using System.Xml;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Training;
using Flywheel.Datasets.Versions;

namespace Flywheel.Training;

/// <summary>
/// Checks a training request against the dataset version's schema and profile before anything
/// starts, so a mistake is a 4xx at the POST naming the column, not a run that fails an hour later:
/// the label exists and has something to learn, the features exist, there are enough rows, and the
/// task, metric and trainers fit together. Resolves the task (<see cref="TrainingTask.Auto"/>) and
/// metric (<c>auto</c>) it was asked to choose.
/// </summary>
public sealed class TrainingPlanner(DatasetQueries datasets, DatasetCatalog catalog, Microsoft.Extensions.Options.IOptions<FeaturizationOptions> featurization)
{
    /// <summary>Most distinct label values a classifier is trained for.</summary>
    public const int MaxClasses = 50;

    /// <summary>Fewest labelled rows a run starts with (the split keeps some of every part).</summary>
    public const long MinLabelledRows = 20;

    /// <summary>Fewest rows of each class, so a stratified split can put one in train, validation and test.</summary>
    public const long MinRowsPerClass = 3;

    /// <summary>
    /// Fewest rows the split is expected to give the test part and the validation part (their shares
    /// of the labelled rows). Below it a run searches and gates on a handful of rows, scores 1.0 by
    /// luck and can fail its export check after the whole search. Five keeps the 38-row fixtures
    /// trainable at the default shares; under <see cref="Reports.TrainingReportContent.FewTestRows"/>
    /// test rows the output and the report still warn.
    /// </summary>
    public const long MinPartRows = 5;

    public const int MaxTrials = 200;

    /// <summary>Trainer families per task: <c>linear</c> is L-BFGS logistic regression (binary), maximum entropy (multiclass) or SDCA (regression).</summary>
    public static IReadOnlyDictionary<TrainingTask, IReadOnlyList<string>> Trainers { get; } = new Dictionary<TrainingTask, IReadOnlyList<string>>
    {
        [TrainingTask.Binary] = ["lightgbm", "fasttree", "linear"],
        [TrainingTask.Multiclass] = ["lightgbm", "linear"],
        [TrainingTask.Regression] = ["lightgbm", "fasttree", "linear"],
    };

    /// <summary>Metrics per task; the first is what <c>auto</c> means. Log-losses are in nats.</summary>
    public static IReadOnlyDictionary<TrainingTask, IReadOnlyList<string>> Metrics { get; } = new Dictionary<TrainingTask, IReadOnlyList<string>>
    {
        [TrainingTask.Binary] = ["auc", "prauc", "accuracy", "f1", "logloss"],
        [TrainingTask.Multiclass] = ["macro-logloss", "macro-accuracy", "micro-accuracy", "macro-f1"],
        [TrainingTask.Regression] = ["rmse", "mae", "r2"],
    };

    public async Task<TrainingPlan> PlanAsync(TrainingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckShape(request);
        var approvalTimeout = ApprovalTimeout(request.ApprovalTimeout);
        if (request.DatasetVersion.Alias is { } alias)
        {
            throw Invalid(ProblemTypes.InvalidVersion, $"datasetVersion '{alias}' is not a dataset version: use a number or \"latest\" (datasets have no aliases).");
        }

        var version = await datasets.GetAsync(request.Dataset, request.DatasetVersion, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"Dataset '{request.Dataset}' has no version '{request.DatasetVersion}'.");
        var schema = version.Schema ?? throw Unprocessable($"Dataset '{request.Dataset}' version {version.Version} has no stored profile to check the request against.");
        var profiles = version.Profile ?? new Dictionary<string, ColumnProfile>();
        var columns = schema.Select(c => c.Name).ToList();
        if (!profiles.TryGetValue(request.Label, out var label))
        {
            throw Unprocessable($"The label '{request.Label}' is not a column of '{request.Dataset}' version {version.Version}; its columns are {Listing(columns)}.", request.Label);
        }

        if (request.Split.OrderBy is { } orderBy && (!profiles.TryGetValue(orderBy, out var order) || orderBy == request.Label))
        {
            throw Unprocessable(order is null
                ? $"split.orderBy '{orderBy}' is not a column of '{request.Dataset}' version {version.Version}; its columns are {Listing(columns)}."
                : $"split.orderBy must be a date or number column other than the label '{request.Label}'.", orderBy);
        }

        var (features, skipped) = Featurization.Choose(Features(request, columns, version.Version), request.Features is not null, profiles, featurization.Value);
        if (features.Count == 0)
        {
            throw Unprocessable($"No feature can be used: {string.Join("; ", skipped.Select(s => $"'{s.Key}': {s.Value}"))}.");
        }

        var (task, classes) = Task(request, label, featurization.Value.IdDistinctShare);
        if (label.Count < MinLabelledRows)
        {
            throw Unprocessable($"Only {label.Count:N0} rows have a value for the label '{request.Label}'; training needs at least {MinLabelledRows}.", request.Label);
        }

        CheckParts(request, label.Count);
        if (task != TrainingTask.Regression && label.Distinct * MinRowsPerClass > label.Count)
        {
            throw Unprocessable($"The label '{request.Label}' has {label.Distinct:N0} distinct values over {label.Count:N0} rows: fewer than {MinRowsPerClass} rows per class (is it an id?).", request.Label);
        }

        if (classes is not null && label.Top?.MinBy(t => t.Count) is { Count: < MinRowsPerClass } rare)
        {
            throw Unprocessable($"Class '{rare.Value}' of the label '{request.Label}' has {rare.Count} row(s); every class needs at least {MinRowsPerClass} so each split part sees it.", request.Label);
        }

        var metric = Metric(request.Metric, task);
        var trainers = TrainersFor(request.Trainers, task);
        var markers = await catalog.MissingMarkersAsync(request.Dataset, cancellationToken).ConfigureAwait(false);
        return new TrainingPlan(request, version.Version, version.Sha256, version.Format, markers, task, metric, features, skipped, trainers, classes, label.Count, approvalTimeout);
    }

    /// <summary>
    /// The split places each row by a hash of its content, so the parts it gives are, in
    /// expectation, their shares of the labelled rows; both held-out parts must reach
    /// <see cref="MinPartRows"/>. (Every class reaching every part is <see cref="MinRowsPerClass"/>'s.)
    /// </summary>
    private static void CheckParts(TrainingRequest request, long labelled)
    {
        foreach (var (part, share) in new[] { ("test", request.Split.Test), ("validation", request.Split.Validation) })
        {
            var expected = (long)Math.Floor(labelled * share);
            if (expected < MinPartRows)
            {
                throw Unprocessable(
                    $"{labelled:N0} labelled rows give the {part} part about {expected:N0} rows (split.{part} {share.ToString(CultureInfo.InvariantCulture)}); " +
                    $"training needs at least {MinPartRows} rows in the test part and in the validation part, so at least {(long)Math.Ceiling(MinPartRows / share):N0} labelled rows at this share: add rows or raise split.{part}.",
                    request.Label);
            }
        }
    }

    /// <summary>What can be checked without the data: names, numbers and their ranges.</summary>
    private static void CheckShape(TrainingRequest request)
    {
        ResourceName.Check("model", request.Model);
        ResourceName.Check("dataset", request.Dataset);

        if (string.IsNullOrWhiteSpace(request.Label))
        {
            throw Invalid(ProblemTypes.InvalidTraining, "label must name the column to predict.");
        }

        if (request.Trials is < 1 or > MaxTrials)
        {
            throw Invalid(ProblemTypes.InvalidTraining, $"trials must be within [1, {MaxTrials}]; it is {request.Trials}.");
        }

        // A seed is taken as given by some consumers and by its absolute value by others, so -N would repeat N's run.
        if (request.Seed < 0)
        {
            throw Invalid(ProblemTypes.InvalidTraining, $"seed must be zero or positive; it is {request.Seed}.");
        }

        if (request.Split.Test is <= 0 or > 0.5 || request.Split.Validation is <= 0 or > 0.5 || request.Split.Test + request.Split.Validation > 0.7)
        {
            throw Invalid(ProblemTypes.InvalidTraining, $"split.test and split.validation must each be within (0, 0.5] and leave at least 30% for training; they are {request.Split.Test} and {request.Split.Validation}.");
        }

        if (request.Gate.MinAbsoluteChange < 0 || request.Gate.MinRelativeChange < 0 || request.Gate.MinRows < 0)
        {
            throw Invalid(ProblemTypes.InvalidTraining, "gate.minAbsoluteChange, gate.minRelativeChange and gate.minRows must not be negative.");
        }

        if (string.IsNullOrEmpty(request.Split.Salt) || request.Split.Salt.Length > 256)
        {
            throw Invalid(ProblemTypes.InvalidTraining, "split.salt must have 1 to 256 characters (leave it out for the default).");
        }
    }

    private static TimeSpan ApprovalTimeout(string text)
    {
        TimeSpan timeout;
        try
        {
            timeout = XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            throw Invalid(ProblemTypes.InvalidTraining, $"approvalTimeout must be an ISO 8601 duration such as \"P3D\" or \"PT12H\"; it is '{text}'.");
        }

        return timeout < TimeSpan.FromSeconds(1) || timeout > TimeSpan.FromDays(30)
            ? throw Invalid(ProblemTypes.InvalidTraining, $"approvalTimeout must be between one second and 30 days; it is '{text}'.")
            : timeout;
    }

    private static List<string> Features(TrainingRequest request, List<string> columns, int version)
    {
        var known = columns.ToHashSet(StringComparer.Ordinal);
        foreach (var name in request.Exclude.Concat(request.Features ?? []).Where(n => !known.Contains(n)))
        {
            throw Unprocessable($"Column '{name}' is not in '{request.Dataset}' version {version}; its columns are {Listing(columns)}.", name);
        }

        if (request.Features?.Contains(request.Label, StringComparer.Ordinal) == true)
        {
            throw Invalid(ProblemTypes.InvalidTraining, $"The label '{request.Label}' cannot also be a feature.");
        }

        var excluded = request.Exclude.ToHashSet(StringComparer.Ordinal);
        var features = (request.Features ?? columns).Where(c => c != request.Label && !excluded.Contains(c)).Distinct(StringComparer.Ordinal).ToList();
        return features.Count == 0
            ? throw Unprocessable($"No feature column is left once the label '{request.Label}' and the excluded columns are taken out.")
            : features;
    }

    /// <summary>The task (chosen from the label's type and distinct values when auto) and, for classification, its classes when the profile knows them all.</summary>
    private static (TrainingTask Task, IReadOnlyList<string>? Classes) Task(TrainingRequest request, ColumnProfile label, double idShare)
    {
        var name = request.Label;
        var distinct = label.Distinct;
        if (label.Type == ColumnType.DateTime)
        {
            throw Unprocessable($"The label '{name}' holds dates and times: Flywheel trains classifiers and regressors on text, boolean or numeric labels.", name);
        }

        if (distinct < 2)
        {
            throw Unprocessable($"The label '{name}' has {(distinct == 0 ? "no values" : "a single value")}: there is nothing to learn.", name);
        }

        var numeric = label.Type is ColumnType.Integer or ColumnType.Float;
        // Row numbers regress "perfectly" on nothing; a caller who means it says "regression".
        if (request.Task != TrainingTask.Regression && IdLike(label, idShare))
        {
            throw Unprocessable($"The label '{name}' looks like an id: integers with {distinct:N0} distinct values over {label.Count:N0} rows, spanning about as many. Pick the column to predict, or ask for \"task\": \"regression\" if it is one.", name);
        }

        var task = request.Task switch
        {
            TrainingTask.Auto when distinct == 2 => TrainingTask.Binary,
            TrainingTask.Auto when label.Type != ColumnType.Float && distinct <= MaxClasses => TrainingTask.Multiclass,
            TrainingTask.Auto when numeric => TrainingTask.Regression,
            TrainingTask.Auto => throw Unprocessable($"The label '{name}' is {Type(label.Type)} with {distinct:N0} distinct values: too many classes for classification (at most {MaxClasses}), and not a number for regression.", name),
            TrainingTask.Binary when distinct != 2 => throw Unprocessable($"The label '{name}' has {distinct:N0} distinct values; a binary task needs exactly 2 (ask for \"multiclass\" or \"regression\").", name),
            TrainingTask.Multiclass when label.Type == ColumnType.Float || distinct > MaxClasses => throw Unprocessable(
                $"The label '{name}' is {Type(label.Type)} with {distinct:N0} distinct values; a multiclass task needs a text, boolean or integer label with at most {MaxClasses} values.", name),
            TrainingTask.Regression when !numeric => throw Unprocessable($"The label '{name}' is {Type(label.Type)}; a regression task needs a numeric label.", name),
            TrainingTask.Regression when label.Std is not > 0 => throw Unprocessable($"The label '{name}' is constant: there is nothing to learn.", name),
            var forced => forced,
        };
        IReadOnlyList<string>? classes = task != TrainingTask.Regression && label.TopExact == true && label.Top is { } top && top.Count == distinct
            ? [.. top.Select(t => t.Value).Order(StringComparer.Ordinal)]
            : null;
        return (task, classes);
    }

    /// <summary>An integer column whose values are nearly all distinct (the share that makes text an id feature) and fill their range about as densely as 1..N does.</summary>
    private static bool IdLike(ColumnProfile label, double idShare)
    {
        if (label.Type != ColumnType.Integer || label.Count == 0 || label.Distinct < idShare * label.Count
            || !double.TryParse(Convert.ToString(label.Min, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, out var min)
            || !double.TryParse(Convert.ToString(label.Max, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, out var max))
        {
            return false;
        }

        return max - min + 1 <= label.Distinct / idShare;
    }

    private static string Metric(string metric, TrainingTask task)
    {
        var known = Metrics[task];
        return string.Equals(metric, "auto", StringComparison.OrdinalIgnoreCase) ? known[0]
            : known.FirstOrDefault(m => string.Equals(m, metric, StringComparison.OrdinalIgnoreCase))
              ?? throw Invalid(ProblemTypes.InvalidTraining, $"'{metric}' is not a {Name(task)} metric: use auto or one of {string.Join(", ", known)}.");
    }

    private static List<string> TrainersFor(IReadOnlyList<string>? requested, TrainingTask task)
    {
        var known = Trainers[task];
        if (requested is null)
        {
            return [.. known];
        }

        if (requested.Count == 0)
        {
            throw Invalid(ProblemTypes.InvalidTraining, $"trainers is empty: leave it out for all of them, or pick from {string.Join(", ", known)}.");
        }

        return [.. requested.Select(t => known.FirstOrDefault(k => string.Equals(k, t, StringComparison.OrdinalIgnoreCase))
            ?? throw Invalid(ProblemTypes.InvalidTraining, $"'{t}' is not a {Name(task)} trainer: use {string.Join(", ", known)}.")).Distinct()];
    }

    private static string Name(TrainingTask task) => task.ToString().ToLowerInvariant();

    private static string Type(ColumnType type) => type switch
    {
        ColumnType.Integer => "an integer",
        ColumnType.Float => "a float",
        ColumnType.Boolean => "a boolean",
        ColumnType.DateTime => "a date-time",
        _ => "text",
    };

    private static string Listing(IReadOnlyList<string> columns) =>
        string.Join(", ", columns.Take(20).Select(c => $"'{c}'")) + (columns.Count > 20 ? $" and {columns.Count - 20:N0} more" : string.Empty);

    private static FlywheelException Invalid(string code, string message) => new(ErrorKind.InvalidInput, code, message);

    private static FlywheelException Unprocessable(string message, string? column = null) =>
        new(ErrorKind.Unprocessable, ProblemTypes.InvalidTrainingData, message)
        {
            Extensions = column is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["column"] = column },
        };
}
