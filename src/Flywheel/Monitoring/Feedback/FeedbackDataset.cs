using System.Text;
using System.Text.Json;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Monitoring;
using Flywheel.Contracts.Registry;
using Flywheel.Datasets.Ingest;
using Flywheel.Datasets.Versions;
using Flywheel.Monitoring.Performance;
using Flywheel.Registry;
using Flywheel.Serving.Records;
using Flywheel.Serving.Routing;
using Flywheel.Training;

namespace Flywheel.Monitoring.Feedback;

/// <summary>
/// Labelled rows from serving: the inputs of the live requests logged in a window that have
/// feedback, written with the training data's columns (in its schema's order, the label cell the
/// feedback's actual) and ingested as a version of a named dataset, so a retrain learns from what
/// the model met in production. Rows without feedback are left out, and so is shadow scoring.
/// Everything is checked before anything is stored.
/// </summary>
public sealed class FeedbackDataset(ModelRegistry registry, TrainingSpecs specs, DatasetQueries datasets, DatasetIngestor ingestor, FeedbackJoin join, TimeProvider time)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(7);

    public async Task<FeedbackDatasetResult> AppendAsync(string model, FeedbackDatasetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ResourceName.IsValid(request.Dataset))
        {
            throw Invalid($"dataset: '{request.Dataset}' is not a valid dataset name: use {ResourceName.Rule}.");
        }

        var now = time.GetUtcNow();
        var to = request.To ?? now;
        var from = request.From ?? to - DefaultWindow;
        // The log is read hour by hour: the window is bounded as a monitoring run's is.
        if (from >= to || to > now.AddMinutes(5) || to - from > MonitoringSchedule.MaxWindow)
        {
            throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidWindow,
                $"from must be before to, to no later than now, and the window at most {MonitoringSchedule.MaxWindow.TotalDays:N0} days; it is {from:u} to {to:u}.");
        }

        var details = await registry.GetModelAsync(model, null, 1, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"There is no model '{model}'.");
        int? only = request.Version is { } asked ? await registry.PinAsync(model, asked, cancellationToken).ConfigureAwait(false) : null;
        var (label, columns) = await TrainingColumnsAsync(model, only ?? ServingTarget.ChampionOrLatest(details.Aliases, details.LatestVersion), cancellationToken).ConfigureAwait(false);
        if (await datasets.GetAsync(request.Dataset, VersionReference.Latest, cancellationToken).ConfigureAwait(false) is { } existing
            && ColumnsOf(existing) is { } have && !have.SequenceEqual(columns, StringComparer.Ordinal))
        {
            throw new FlywheelException(ErrorKind.Conflict, ProblemTypes.SchemaMismatch,
                $"Dataset '{request.Dataset}' version {existing.Version} does not have the columns of model '{model}''s training data: {Difference(have, columns)}. Name another dataset.");
        }

        var (rows, versions) = await LabelledRowsAsync(model, only, from, to, label, columns, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.NoFeedback,
                $"No prediction of model '{model}'{(only is { } v ? $" version {v}" : string.Empty)} logged from {from:u} to {to:u} has feedback: POST api/models/{model}/feedback with the request ids first.");
        }

        var source = $"feedback of model {model} versions {string.Join(", ", versions)} from {from:u} to {to:u}";
        using var content = new MemoryStream(Csv(columns, rows));
        var outcome = await ingestor.IngestAsync(request.Dataset, content, source, cancellationToken).ConfigureAwait(false);
        var version = outcome.Version ?? throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.DatasetRejected,
            $"Dataset '{request.Dataset}' refused the feedback rows: {outcome.Report!.Problems[0].Message}. They are kept at {outcome.Report.OriginalPath}.");
        return new FeedbackDatasetResult(version.Dataset, version.Version, version.Rows, version.Source, outcome.Status == IngestStatus.Created, label, versions, from, to);
    }

    /// <summary>
    /// The label and the training data's columns in its schema's order: from the version's lineage
    /// and training record, else from the model's saved training request (its dataset's latest version).
    /// </summary>
    private async Task<(string Label, IReadOnlyList<string> Columns)> TrainingColumnsAsync(string model, int number, CancellationToken cancellationToken)
    {
        var version = await registry.GetAsync(model, VersionReference.Of(number), cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, ProblemTypes.NotFound, $"Model '{model}' has no version {number}.");
        var spec = version.Training?.Label is null || version.Dataset is null ? await specs.GetAsync(model, cancellationToken).ConfigureAwait(false) : null;
        var label = version.Training?.Label ?? spec?.Label ?? throw NoTrainingData(model, number, "names the label column");
        var training = version.Dataset is { } lineage ? await datasets.GetAsync(lineage.Name, VersionReference.Of(lineage.Version), cancellationToken).ConfigureAwait(false)
            : spec is not null ? await datasets.GetAsync(spec.Dataset, spec.DatasetVersion, cancellationToken).ConfigureAwait(false)
            : null;
        var columns = (training is null ? null : ColumnsOf(training)) ?? throw NoTrainingData(model, number, "names a training dataset version that exists");
        return columns.Contains(label, StringComparer.Ordinal)
            ? (label, columns)
            : throw new FlywheelException(ErrorKind.Unprocessable, ProblemTypes.NoTrainingData,
                $"The label '{label}' of model '{model}' version {number} is not a column of dataset '{training!.Dataset}' version {training.Version}.");
    }

    /// <summary>One row (its cells in <paramref name="columns"/>' order) per answered row with feedback, in the order they were logged; and the versions that answered them.</summary>
    private async Task<(List<string[]> Rows, IReadOnlyList<int> Versions)> LabelledRowsAsync(
        string model, int? only, DateTimeOffset from, DateTimeOffset to, string label, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var found = new List<(DateTimeOffset Time, string RequestId, int Row, string[] Cells)>();
        var versions = new SortedSet<int>();
        var positions = new Dictionary<int, Dictionary<string, int>?>();
        var labelAt = columns.ToList().IndexOf(label);
        await foreach (var request in join.ReadAsync(model, only, from, to, cancellationToken).ConfigureAwait(false))
        {
            if (!request.HasFeedback)
            {
                continue;
            }

            var record = request.Record;
            var number = record.GetProperty("version").GetInt32();
            var batch = RecordBatch.Parse(record.GetProperty("inputs"));
            if (batch.TensorRows is not null && !positions.ContainsKey(number))
            {
                positions[number] = (await registry.GetAsync(model, VersionReference.Of(number), cancellationToken).ConfigureAwait(false))?.FeatureNames?
                    .Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
            }

            for (var row = 0; row < batch.Count; row++)
            {
                if (request.Actual(row) is not { } actual)
                {
                    continue;
                }

                var cells = batch.Records is { } records
                    ? [.. columns.Select(c => records[row].TryGetValue(c, out var value) ? Cell(value) : string.Empty)]
                    : TensorCells(batch.TensorRows![row], positions[number], columns);
                cells[labelAt] = Cell(actual);
                found.Add((record.GetProperty("time").GetDateTimeOffset(), record.GetProperty("requestId").GetString()!, row, cells));
                versions.Add(number);
            }
        }

        // Ordered by what was logged, not by how the log's blobs list: the same window always writes the same bytes.
        return ([.. found.OrderBy(f => f.Time).ThenBy(f => f.RequestId, StringComparer.Ordinal).ThenBy(f => f.Row).Select(f => f.Cells)], [.. versions]);
    }

    /// <summary>A row of a tensor model: its registered feature order names each position (no names: every cell empty).</summary>
    private static string[] TensorCells(JsonElement row, Dictionary<string, int>? positions, IReadOnlyList<string> columns)
    {
        var length = row.ValueKind == JsonValueKind.Array ? row.GetArrayLength() : 0;
        return [.. columns.Select(c => positions is not null && positions.TryGetValue(c, out var i) && i < length ? Cell(row[i]) : string.Empty)];
    }

    /// <summary>A JSON value as its CSV cell: strings as they are, numbers and booleans as JSON writes them, null as an empty cell.</summary>
    private static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };

    private static byte[] Csv(IReadOnlyList<string> columns, List<string[]> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Select(TrainingFrames.Quote)).Append('\n');
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Select(c => c.Length == 0 ? c : TrainingFrames.Quote(c))).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static IReadOnlyList<string>? ColumnsOf(DatasetVersion version) => version.Schema?.Select(c => c.Name).ToList() ?? version.Columns;

    private static string Difference(IReadOnlyList<string> have, IReadOnlyList<string> want)
    {
        static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(c => $"'{c}'"));
        var missing = want.Except(have, StringComparer.Ordinal).ToList();
        var extra = have.Except(want, StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add($"it lacks {Names(missing)}");
        }

        if (extra.Count > 0)
        {
            parts.Add($"it has {Names(extra)} beyond them");
        }

        return parts.Count > 0 ? string.Join("; ", parts) : $"it has them in another order ({Names(have)}, not {Names(want)})";
    }

    private static FlywheelException NoTrainingData(string model, int number, string what) =>
        new(ErrorKind.Unprocessable, ProblemTypes.NoTrainingData,
            $"Model '{model}' version {number} has no training lineage, and no saved training request {what}: register the version with its dataset and label, or PUT api/models/{model}/training.");

    private static FlywheelException Invalid(string detail) => new(ErrorKind.InvalidInput, ProblemTypes.InvalidFeedbackDataset, detail);
}
