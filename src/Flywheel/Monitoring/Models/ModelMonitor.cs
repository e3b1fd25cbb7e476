using System.Globalization;
using System.Text.Json;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Monitoring;
using Flywheel.Contracts.Registry;
using Flywheel.Datasets.Versions;
using Flywheel.Monitoring.Drift;
using Flywheel.Monitoring.Performance;
using Flywheel.Monitoring.Quality;
using Flywheel.Registry;
using Flywheel.Serving.Records;
using Flywheel.Serving.Routing;
using Microsoft.Extensions.Options;

namespace Flywheel.Monitoring.Models;

/// <summary>
/// Monitors a served model over a window, in three steps that an orchestration fans out and an
/// on-demand run calls in turn: plan (version, reference, features and methods, window), compare a
/// group of features (drift and data quality of the logged inputs against the reference dataset
/// version), and compare the answers (prediction drift against the reference predictions,
/// performance from feedback, and the CBPE estimate). Every step reads; none changes anything stored
/// but the reference predictions it captures once.
/// </summary>
public sealed class ModelMonitor(
    ModelRegistry registry,
    DatasetQueries datasets,
    DatasetDrift datasetDrift,
    MonitoringSettingsStore settingsStore,
    PredictionLogReader log,
    ReferencePredictions referencePredictions,
    FeedbackJoin feedbackJoin,
    IOptions<MonitoringOptions> options,
    TimeProvider time)
{
    /// <param name="reportId">The report's id: deterministic per window for scheduled runs, so a replay writes the same report.</param>
    public async Task<MonitoringPlan> PlanAsync(string name, DriftRunRequest request, MonitoringTrigger trigger, string reportId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = await settingsStore.GetAsync(name, cancellationToken).ConfigureAwait(false) ?? new MonitoringSettings();
        var defaults = options.Value;
        var now = time.GetUtcNow();
        var to = request.To ?? now;
        var from = request.From ?? to - settings.WindowOr(defaults.Window);
        var minRows = request.MinRows ?? settings.MinRows ?? defaults.MinRows;
        if (from >= to || to > now.AddMinutes(5) || to - from > MonitoringSchedule.MaxWindow || minRows < 1)
        {
            throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidWindow,
                $"The window must start before it ends, end no later than now and span at most {MonitoringSchedule.MaxWindow.TotalDays:N0} days, and minRows must be at least 1; it is {from:u} to {to:u}, minRows {minRows}.");
        }

        if (!DriftDetection.Methods.Contains(request.Method))
        {
            throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidMethod, $"'{request.Method}' is not a drift method: use {string.Join(", ", DriftDetection.Methods)}.");
        }

        DriftDetection.CheckThreshold(request.Threshold);
        var (model, number, version) = await VersionAsync(name, request.Version, cancellationToken).ConfigureAwait(false);
        var reference = settings.Reference ?? (version.Dataset is { } lineage ? new MonitoringReference(lineage.Name, lineage.Version) : null)
            ?? throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.NoReference,
                $"Model '{name}' version {number} has no reference: register it with its training dataset (lineage), or set one with PUT api/models/{name}/monitoring.");
        var (dataset, profile) = await ReferenceAsync(name, reference, cancellationToken).ConfigureAwait(false);
        var (monitored, skipped) = Monitored(Features(name, number, version, settings, reference, profile), profile, feature => request.Method != "auto" ? request.Method : null, settings);

        var traffic = await log.TrafficAsync(name, from, to, cancellationToken).ConfigureAwait(false);
        var (slice, side) = await SliceAsync(settings.Recent, reference, dataset, profile, cancellationToken).ConfigureAwait(false);
        return new MonitoringPlan(reportId, trigger, name, number, version.Sha256, reference, side, from, to, minRows, request.Threshold, monitored, skipped, version.FeatureNames,
            ScoredByName(version), version.Metrics, traffic, number == ServingTarget.ChampionOrLatest(model.Aliases, model.LatestVersion),
            settings.DriftShare ?? DriftDetection.DriftShare, KeyFeatures(version, monitored, settings.KeyFeatures ?? MonitoringSettings.DefaultKeyFeatures),
            settings.TopCategories ?? MonitoringSettings.DefaultTopCategories, slice);
    }

    /// <summary>
    /// Checks settings about to be saved against what a run would read, so a mistake is a 4xx now
    /// rather than every scheduled run failing later: the reference (the settings' own, else the
    /// lineage of the version the schedule monitors, the champion else the latest) exists, the
    /// features are its columns, recent.column is a date-time column, and each method fits its column.
    /// A model whose versions have no lineage and no reference is left to the run to refuse.
    /// </summary>
    public async Task CheckSettingsAsync(string name, MonitoringSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var (_, number, version) = await VersionAsync(name, null, cancellationToken).ConfigureAwait(false);
        if ((settings.Reference ?? (version.Dataset is { } lineage ? new MonitoringReference(lineage.Name, lineage.Version) : null)) is not { } reference)
        {
            return;
        }

        var (_, profile) = await ReferenceAsync(name, reference, cancellationToken).ConfigureAwait(false);
        if (settings.Recent?.Column is { } column)
        {
            RecentColumn(column, reference, profile);
        }

        Monitored(Features(name, number, version, settings, reference, profile), profile, _ => null, settings);
    }

    /// <summary>The model, the version monitored (<paramref name="asked"/>, else the champion, else the latest) and its number.</summary>
    private async Task<(ModelDetails Model, int Number, ModelVersion Version)> VersionAsync(string name, VersionReference? asked, CancellationToken cancellationToken)
    {
        var model = await registry.GetModelAsync(name, null, 1, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"There is no model '{name}'.");
        var number = asked is { } pinned
            ? await registry.PinAsync(name, pinned, cancellationToken).ConfigureAwait(false)
            : ServingTarget.ChampionOrLatest(model.Aliases, model.LatestVersion);
        var version = await registry.GetAsync(name, VersionReference.Of(number), cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"Model '{name}' has no version {number}.");
        return (model, number, version);
    }

    private async Task<(DatasetVersion Dataset, IReadOnlyDictionary<string, ColumnProfile> Profile)> ReferenceAsync(string name, MonitoringReference reference, CancellationToken cancellationToken)
    {
        var dataset = await datasets.GetAsync(reference.Dataset, VersionReference.Of(reference.Version), cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.NoReference, $"Model '{name}''s reference, dataset '{reference.Dataset}' version {reference.Version}, does not exist.");
        var profile = dataset.Profile ?? throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.NoReference, $"Dataset '{reference.Dataset}' version {reference.Version} has no stored profile.");
        return (dataset, profile);
    }

    /// <summary>
    /// Each feature with its kind and method (<paramref name="forced"/>'s, else the settings'), dates
    /// left out with why; a method that does not fit its column is refused naming both.
    /// </summary>
    private static (List<MonitoredColumn> Monitored, Dictionary<string, string> Skipped) Monitored(
        IReadOnlyList<string> features, IReadOnlyDictionary<string, ColumnProfile> profile, Func<string, string?> forced, MonitoringSettings settings)
    {
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        var monitored = new List<MonitoredColumn>();
        foreach (var feature in features)
        {
            var column = profile[feature];
            var numerical = column.Type is ColumnType.Integer or ColumnType.Float;
            if (column.Type == ColumnType.DateTime)
            {
                skipped[feature] = "dates and times are not compared";
                continue;
            }

            var method = forced(feature) ?? settings.MethodFor(feature, numerical);
            if (DriftDetection.Misfit(method, numerical, column.Distinct) is { } why)
            {
                throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidMethod, $"Column '{feature}': '{method}' {why}.")
                {
                    Extensions = new Dictionary<string, object?> { ["column"] = feature, ["method"] = method },
                };
            }

            monitored.Add(new MonitoredColumn(feature, numerical, method));
        }

        return (monitored, skipped);
    }

    private static void RecentColumn(string column, MonitoringReference reference, IReadOnlyDictionary<string, ColumnProfile> profile)
    {
        if (profile.GetValueOrDefault(column)?.Type != ColumnType.DateTime)
        {
            var dates = profile.Where(p => p.Value.Type == ColumnType.DateTime).Select(p => p.Key).ToList();
            throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.ReferenceMismatch,
                $"recent.column '{column}' is not a date-time column of '{reference.Dataset}' version {reference.Version}; "
                + (dates.Count > 0 ? $"its date-time columns are {string.Join(", ", dates)}." : "it has none: use recent.rows instead."));
        }
    }

    /// <summary>The reference rows a rolling reference keeps, and the reference side they make (its rows, and for a time window its span).</summary>
    private async Task<(ReferenceSlice? Slice, DriftSide Side)> SliceAsync(RecentReference? recent, MonitoringReference reference, DatasetVersion dataset, IReadOnlyDictionary<string, ColumnProfile> profile, CancellationToken cancellationToken)
    {
        var whole = new DriftSide(reference.Dataset, reference.Version, dataset.Sha256, dataset.Rows);
        if (recent is null)
        {
            return (null, whole);
        }

        if (recent.Rows is { } last)
        {
            var first = Math.Max(0, dataset.Rows - last);
            return (new ReferenceSlice(first), whole with { Rows = dataset.Rows - first });
        }

        var column = recent.Column!;
        RecentColumn(column, reference, profile);

        var (from, to, rows) = await datasetDrift.RecentAsync(reference.Dataset, dataset, column, recent.Span, cancellationToken).ConfigureAwait(false);
        return (new ReferenceSlice(0, column, from), whole with { Rows = rows, From = from, To = to });
    }

    private static List<string> Features(string name, int number, ModelVersion version, MonitoringSettings settings, MonitoringReference reference, IReadOnlyDictionary<string, ColumnProfile> profile)
    {
        if (settings.Features is { } chosen)
        {
            var absent = chosen.Where(f => !profile.ContainsKey(f)).ToList();
            return absent.Count == 0
                ? [.. chosen]
                : throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.ReferenceMismatch,
                    $"Monitored feature(s) {string.Join(", ", absent)} are not columns of '{reference.Dataset}' version {reference.Version} ({string.Join(", ", profile.Keys.Take(20))}).");
        }

        var inputs = version.Signature?.Inputs.Select(i => i.Name).ToList() ?? [];
        var features = inputs.Where(profile.ContainsKey).ToList();
        if (features.Count == 0 && version.FeatureNames is { } names)
        {
            features = [.. names.Where(profile.ContainsKey)];
        }

        return features.Count > 0
            ? features
            : throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.ReferenceMismatch,
                $"None of model '{name}' version {number}'s inputs ({string.Join(", ", inputs)}) is a column of '{reference.Dataset}' version {reference.Version} ({string.Join(", ", profile.Keys.Take(20))}); name the features with PUT api/models/{name}/monitoring.");
    }

    /// <summary>The monitored inputs that mattered most to the version (positive permutation importance, most first), at most <paramref name="count"/>.</summary>
    private static IReadOnlyList<string> KeyFeatures(ModelVersion version, IReadOnlyList<MonitoredColumn> monitored, int count) =>
        version.Training?.Importance is not { Count: > 0 } importance ? []
            : [.. importance.Where(i => i.Value > 0 && monitored.Any(m => m.Name == i.Key)).OrderByDescending(i => i.Value).ThenBy(i => i.Key, StringComparer.Ordinal).Take(count).Select(i => i.Key)];

    /// <summary>The columns a version takes by name: one per input (skl2onnx pipelines), else its registered feature order (one tensor input).</summary>
    private static IReadOnlyList<string> ScoredByName(ModelVersion version) =>
        version.Signature?.Inputs is { Count: > 1 } named ? [.. named.Select(i => i.Name)] : version.FeatureNames ?? [.. version.Signature?.Inputs.Select(i => i.Name) ?? []];

    /// <summary>Drift and data quality of one group of features: the reference dataset version's values against the logged inputs.</summary>
    public async Task<FeatureGroupResult> CompareFeaturesAsync(MonitoringPlan plan, IReadOnlyList<MonitoredColumn> group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(group);
        var columns = group.Select(c => (c.Name, c.Numerical)).ToList();
        var current = columns.Select(c => new ColumnSample(c.Numerical, 1_024)).ToArray();
        var index = columns.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        long rows = 0;
        await foreach (var record in log.ReadAsync(plan.Model, plan.Version, plan.From, plan.To, cancellationToken).ConfigureAwait(false))
        {
            rows += AddInputs(RecordBatch.Parse(record.GetProperty("inputs")), plan.FeatureNames, index, current);
        }

        var dataset = await datasets.GetAsync(plan.Reference.Dataset, VersionReference.Of(plan.Reference.Version), cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.NoReference, $"Dataset '{plan.Reference.Dataset}' version {plan.Reference.Version} no longer exists.");
        var reference = await datasetDrift.ReadAsync(plan.Reference.Dataset, dataset, columns, plan.Slice, cancellationToken).ConfigureAwait(false);
        var quality = group.Select((c, i) => DataQuality.Measure(c.Name, reference[i], current[i])).ToList();
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        if (rows < plan.MinRows)
        {
            return new FeatureGroupResult(rows, [], quality, skipped);
        }

        var compared = Enumerable.Range(0, group.Count).Where(i => reference[i].Rows > 0 && current[i].Rows > 0).ToList();
        foreach (var i in Enumerable.Range(0, group.Count).Except(compared))
        {
            skipped[group[i].Name] = reference[i].Rows == 0 ? "no values in the reference" : "no values in the window";
        }

        var drift = DriftReports.Of(plan.ReferenceSide, Window(plan, rows), [.. compared.Select(i => columns[i])], c => reference[compared[c]], c => current[compared[c]],
            c => dataset.Profile?.GetValueOrDefault(c)?.Histogram, c => group.First(g => g.Name == c).Method, plan.Threshold, skipped, cancellationToken, plan.TopCategories);
        return new FeatureGroupResult(rows, drift.ColumnResults, quality, skipped);
    }

    /// <summary>Prediction drift, performance from feedback joined by request id, and (binary classifiers) the CBPE estimate.</summary>
    public async Task<OutputResult> CompareOutputsAsync(MonitoringPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var notes = new List<string>();
        var (set, why) = await referencePredictions.GetOrCaptureAsync(plan.Model, plan.Version, plan.Reference, plan.Inputs, cancellationToken).ConfigureAwait(false);
        var first = set?.Predictions.FirstOrDefault() is JsonElement e ? e : default;
        var shape = first.ValueKind == JsonValueKind.Undefined ? null : PredictionColumns.Of(first);
        var current = shape?.Columns.Select(c => new ColumnSample(c.Numerical, 1_024)).ToArray() ?? [];
        var joined = new List<(JsonElement Prediction, JsonElement Actual)>();
        var positive = new List<double>();
        var predictedPositive = new List<bool>();
        long rows = 0;
        await foreach (var request in feedbackJoin.ReadAsync(plan.Model, plan.Version, plan.From, plan.To, cancellationToken).ConfigureAwait(false))
        {
            var outputs = request.Record.GetProperty("outputs");
            var row = 0;
            foreach (var prediction in outputs.EnumerateArray())
            {
                rows++;
                shape?.Add(prediction, current);
                if (shape is { Binary: true } && prediction.TryGetProperty("probabilities", out var p) && p.TryGetProperty(shape.Classes![1], out var share) && share.ValueKind == JsonValueKind.Number)
                {
                    positive.Add(share.GetDouble());
                    predictedPositive.Add(WindowPerformance.Text(prediction.GetProperty("label")) == shape.Classes[1]);
                }

                if (request.Actual(row) is { } truth)
                {
                    joined.Add((prediction.Clone(), truth));
                }

                row++;
            }
        }

        IReadOnlyList<ColumnDrift> drift = [];
        if (shape is null)
        {
            notes.Add($"Prediction drift is not measured: {why ?? "the reference predictions are empty"}.");
        }
        else if (shape.Columns.Count == 0)
        {
            notes.Add("Prediction drift is not measured: the model's answers are neither a label with probabilities nor a number.");
        }
        else if (rows >= plan.MinRows)
        {
            var reference = shape.Columns.Select(c => new ColumnSample(c.Numerical, set!.Predictions.Count)).ToArray();
            foreach (var prediction in set!.Predictions.OfType<JsonElement>())
            {
                shape.Add(prediction, reference);
            }

            // A column with no values on one side (every probability missing) has nothing to compare.
            var compared = Enumerable.Range(0, shape.Columns.Count).Where(i => reference[i].Rows > 0 && current[i].Rows > 0).ToList();
            var referenceSide = new DriftSide(plan.Model, plan.Version, plan.Sha256, set.Predictions.Count);
            drift = DriftReports.Of(referenceSide, Window(plan, rows), [.. compared.Select(i => shape.Columns[i])], c => reference[compared[c]],
                c => current[compared[c]], _ => null, _ => "auto", plan.Threshold, new Dictionary<string, string>(), cancellationToken).ColumnResults;
            notes.Add($"Prediction drift compares the answers with {set.Source}.");
        }

        var performance = shape is null ? null : WindowPerformance.Measure(shape, joined, plan.Registered);
        return new OutputResult(rows, drift, performance, ConfidenceBasedEstimate.Estimate(positive, predictedPositive), notes);
    }

    /// <summary>Sums the steps up into the report.</summary>
    public ModelMonitoringReport Assemble(MonitoringPlan plan, IReadOnlyList<FeatureGroupResult> groups, OutputResult outputs)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(outputs);
        var rows = groups.Count == 0 ? outputs.Rows : groups[0].Rows;
        var skipped = new Dictionary<string, string>(plan.Skipped, StringComparer.Ordinal);
        foreach (var (column, why) in groups.SelectMany(g => g.Skipped))
        {
            skipped[column] = why;
        }

        var enough = rows >= plan.MinRows;
        var notes = new List<string>();
        if (!enough)
        {
            notes.Add($"Only {rows:N0} logged predictions of version {plan.Version} in the window; a verdict needs at least {plan.MinRows:N0} (minRows). No drift is reported.");
        }

        notes.AddRange(outputs.Notes);
        if (plan.Traffic is { Count: > 0 } traffic)
        {
            var mine = traffic.FirstOrDefault(t => t.Version == plan.Version);
            static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
            notes.Add($"Version {plan.Version} answered {Percent(mine?.Share ?? 0)} of the window's {traffic.Sum(t => t.Requests):N0} live requests; "
                + string.Join(", ", traffic.Select(t => $"v{t.Version} {Percent(t.Share)}")) + ".");
        }
        if (plan.Slice is not null)
        {
            notes.Add(plan.Slice.Column is { } by
                ? $"The inputs are compared with the reference's rows from {plan.ReferenceSide.From:u} to {plan.ReferenceSide.To:u} by '{by}' ({plan.ReferenceSide.Rows:N0} rows), a rolling reference."
                : $"The inputs are compared with the reference's last {plan.ReferenceSide.Rows:N0} rows, a rolling reference.");
        }

        var inputs = DriftReports.Summarize(plan.ReferenceSide, Window(plan, rows), groups.SelectMany(g => g.Drift), skipped, enough ? null : notes[0], plan.DriftShare);
        var keyDrifted = inputs.ColumnResults.Where(c => c.Drifted && (plan.KeyFeatures?.Contains(c.Column, StringComparer.Ordinal) ?? false)).Select(c => c.Column).ToList();
        if (enough && keyDrifted.Count > 0)
        {
            notes.Add($"Key feature(s) {string.Join(", ", keyDrifted.Select(c => $"'{c}' (importance rank {plan.KeyFeatures!.ToList().IndexOf(c) + 1})"))} drifted: drift, whatever the share of drifted inputs ({(inputs.Share * 100).ToString("0.#", CultureInfo.InvariantCulture)}%).");
        }

        var verdict = !enough ? DriftVerdict.NotEnoughData
            : inputs.DatasetDrift || keyDrifted.Count > 0 || outputs.Drift.Any(d => d.Drifted) ? DriftVerdict.Drift
            : DriftVerdict.NoDrift;
        return new ModelMonitoringReport(plan.ReportId, plan.Model, plan.Version, plan.Trigger, time.GetUtcNow(), verdict, inputs, outputs.Drift,
            [.. groups.SelectMany(g => g.Quality)], outputs.Performance, outputs.Estimate, notes, plan.Traffic, plan.Headline);
    }

    private static DriftSide Window(MonitoringPlan plan, long rows) => new(plan.Model, plan.Version, plan.Sha256, rows, plan.From, plan.To);

    private static int AddInputs(RecordBatch batch, IReadOnlyList<string>? featureNames, Dictionary<string, int> index, ColumnSample[] samples)
    {
        if (batch.Records is { } records)
        {
            foreach (var record in records)
            {
                foreach (var (column, i) in index)
                {
                    samples[i].Add(record.TryGetValue(column, out var value) ? value : default);
                }
            }

            return records.Count;
        }

        // Tensor rows: the registered feature order names each position, found once per batch.
        var order = (featureNames ?? []).Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var positions = index.Select(p => (Position: order.GetValueOrDefault(p.Key, -1), Sample: p.Value)).ToList();
        foreach (var row in batch.TensorRows!)
        {
            var length = row.ValueKind == JsonValueKind.Array ? row.GetArrayLength() : 0;
            foreach (var (position, i) in positions)
            {
                samples[i].Add(position >= 0 && position < length ? row[position] : default);
            }
        }

        return batch.TensorRows.Count;
    }
}
