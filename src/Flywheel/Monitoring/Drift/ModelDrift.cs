using System.Globalization;
using System.Text;
using System.Text.Json;
using Flywheel.Datasets.Profiling;
using Flywheel.Datasets.Versions;
using Flywheel.Errors;
using Flywheel.Registry;
using Flywheel.Serving;
using Flywheel.Storage;

namespace Flywheel.Monitoring.Drift;

/// <summary>The body of <c>POST api/models/{name}/drift/run</c>: which version (default the champion, else the latest), the window (default the last 24 hours), the method, and the fewest rows a verdict needs.</summary>
public sealed record DriftRunRequest(string? Version = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string Method = "auto", double? Threshold = null, int MinRows = 100);

/// <summary>
/// A served model's input drift on demand: the version's training data (its registered lineage
/// dataset version) against the inputs the prediction log recorded for that version over a window
/// (shadow scoring left out). Too few logged rows is a report that says so, not an error.
/// </summary>
public sealed class ModelDrift(ModelRegistry registry, DatasetQueries datasets, DatasetDrift datasetDrift, StorageClients storage, TimeProvider time)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

    public async Task<DriftReport> RunAsync(string name, DriftRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var to = request.To ?? now;
        var from = request.From ?? to - DefaultWindow;
        if (from >= to || to > now.AddMinutes(5) || to - from > MaxWindow || request.MinRows < 1)
        {
            throw new FlywheelException(ErrorKind.InvalidInput, "invalid-window",
                $"The window must start before it ends, end no later than now and span at most {MaxWindow.TotalDays:N0} days, and minRows must be at least 1; it is {from:u} to {to:u}, minRows {request.MinRows}.");
        }

        var model = await registry.GetModelAsync(name, null, 1, cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, "not-found", $"There is no model '{name}'.");
        var number = request.Version is { } text
            ? await registry.PinAsync(name, VersionReference.Parse(text), cancellationToken).ConfigureAwait(false)
            : model.Aliases.TryGetValue("champion", out var champion) ? champion : model.LatestVersion;
        var version = await registry.GetAsync(name, VersionReference.Of(number), cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.NotFound, "not-found", $"Model '{name}' has no version {number}.");
        var lineage = version.Dataset ?? throw new FlywheelException(ErrorKind.Unprocessable, "no-reference",
            $"Model '{name}' version {number} has no reference: register it with its training dataset (lineage) to compare its inputs with.");
        var reference = await datasets.GetAsync(lineage.Name, VersionReference.Of(lineage.Version), cancellationToken).ConfigureAwait(false)
            ?? throw new FlywheelException(ErrorKind.Unprocessable, "no-reference", $"Model '{name}' version {number} names dataset '{lineage.Name}' version {lineage.Version}, which does not exist.");
        var profile = reference.Profile ?? throw new FlywheelException(ErrorKind.Unprocessable, "no-reference", $"Dataset '{lineage.Name}' version {lineage.Version} has no stored profile.");

        var inputs = version.Signature?.Inputs.Select(i => i.Name).ToList() ?? [];
        var features = inputs.Where(profile.ContainsKey).ToList();
        if (features.Count == 0 && version.FeatureNames is { } names)
        {
            features = [.. names.Where(profile.ContainsKey)];
        }

        if (features.Count == 0)
        {
            throw new FlywheelException(ErrorKind.Unprocessable, "reference-mismatch",
                $"None of model '{name}' version {number}'s inputs ({string.Join(", ", inputs)}) is a column of '{lineage.Name}' version {lineage.Version} ({string.Join(", ", profile.Keys.Take(20))}).");
        }

        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var feature in features.Where(f => profile[f].Type == ColumnType.DateTime).ToList())
        {
            skipped[feature] = "dates and times are not compared";
            features.Remove(feature);
        }

        var columns = features.Select(f => (f, profile[f].Type is ColumnType.Integer or ColumnType.Float)).ToList();
        var current = await LoggedAsync(name, number, version.FeatureNames, columns, from, to, cancellationToken).ConfigureAwait(false);
        var window = new DriftSide(name, number, version.Sha256, current.Rows, from, to);
        var referenceSide = new DriftSide(lineage.Name, lineage.Version, reference.Sha256, reference.Rows);
        if (current.Rows < request.MinRows)
        {
            return new DriftReport(referenceSide, window, 0, 0, 0, DriftDetection.DriftShare, false, [], skipped,
                $"Only {current.Rows:N0} logged predictions of version {number} in the window; a verdict needs at least {request.MinRows:N0} (minRows). No drift is reported.");
        }

        var referenceSamples = await datasetDrift.ReadAsync(lineage.Name, reference, columns, cancellationToken).ConfigureAwait(false);
        return DriftReport.Of(referenceSide, window, columns, referenceSamples, current.Samples, c => profile[c].Histogram, request.Method, request.Threshold, skipped, cancellationToken);
    }

    /// <summary>Reads the log's hourly folders over the window, keeping the version's own (not shadow) predictions, one sample per feature.</summary>
    private async Task<(ColumnSample[] Samples, long Rows)> LoggedAsync(string name, int version, IReadOnlyList<string>? featureNames,
        List<(string Name, bool Numerical)> columns, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var samples = columns.Select(c => new ColumnSample(c.Numerical, 1_024)).ToArray();
        var index = columns.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var container = await storage.ContainerAsync(StorageNames.PredictionsContainer, cancellationToken).ConfigureAwait(false);
        long rows = 0;
        for (var hour = new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour), TimeSpan.Zero); hour < to; hour = hour.AddHours(1))
        {
            await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{name}/{hour.ToString("yyyy'/'MM'/'dd'/'HH", CultureInfo.InvariantCulture)}/", cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var content = await container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                foreach (var line in content.Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    using var record = JsonDocument.Parse(line);
                    var root = record.RootElement;
                    var at = root.GetProperty("time").GetDateTimeOffset();
                    if (at < from || at >= to || root.GetProperty("version").GetInt32() != version || (root.TryGetProperty("shadow", out var shadow) && shadow.GetBoolean()))
                    {
                        continue;
                    }

                    rows += Add(RecordBatch.Parse(root.GetProperty("inputs")), featureNames, index, samples);
                }
            }
        }

        return (samples, rows);
    }

    private static int Add(RecordBatch batch, IReadOnlyList<string>? featureNames, Dictionary<string, int> index, ColumnSample[] samples)
    {
        if (batch.Records is { } records)
        {
            foreach (var record in records)
            {
                foreach (var (column, i) in index)
                {
                    Add(samples[i], record.TryGetValue(column, out var value) ? value : default);
                }
            }

            return records.Count;
        }

        // Tensor rows: the registered feature order names each position.
        var positions = index.Select(p => (Position: featureNames?.ToList().IndexOf(p.Key) ?? -1, Sample: p.Value)).ToList();
        foreach (var row in batch.TensorRows!)
        {
            var cells = row.ValueKind == JsonValueKind.Array ? row.EnumerateArray().ToList() : [];
            foreach (var (position, i) in positions)
            {
                Add(samples[i], position >= 0 && position < cells.Count ? cells[position] : default);
            }
        }

        return batch.TensorRows.Count;
    }

    private static void Add(ColumnSample sample, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                sample.Add(Encoding.UTF8.GetBytes(value.GetRawText()), missing: false);
                break;
            case JsonValueKind.String:
                sample.Add(Encoding.UTF8.GetBytes(value.GetString()!), missing: false);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                sample.Add(Encoding.UTF8.GetBytes(value.GetRawText()), missing: false);
                break;
            default:
                sample.Add([], missing: true);
                break;
        }
    }
}
