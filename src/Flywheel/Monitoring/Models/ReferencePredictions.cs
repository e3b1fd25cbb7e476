using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Flywheel.Contracts;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Monitoring;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Versions;
using Flywheel.Serving;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Records;
using Flywheel.Serving.Runtime;
using Flywheel.Storage;
using Microsoft.Extensions.Options;

namespace Flywheel.Monitoring.Models;

/// <summary>A version's answers on its reference rows: what prediction drift compares the logged answers with.</summary>
public sealed record ReferencePredictionSet(
    string Source,
    [property: JsonConverter(typeof(PredictionsJsonConverter))] IReadOnlyList<object?> Predictions);

/// <summary>
/// Reference predictions per model version in <c>models/{name}/monitoring/reference-predictions/{version}.json</c>.
/// Training captures the winner's answers on its test rows when it gates the candidate; for a model
/// registered from elsewhere the first monitoring run scores the reference dataset version's first
/// rows (<see cref="MonitoringOptions.ReferencePredictionRows"/>) through the serving path and keeps them.
/// </summary>
public sealed class ReferencePredictions(StorageClients storage, DatasetQueries datasets, DatasetCatalog catalog, DatasetBlobs blobs, Predictor predictor, IOptions<MonitoringOptions> options)
{
    public async Task SaveAsync(string model, int version, string source, IReadOnlyList<object?> predictions, CancellationToken cancellationToken)
    {
        var blob = await BlobAsync(model, version, cancellationToken).ConfigureAwait(false);
        await blob.UploadAsync(BinaryData.FromObjectAsJson(new ReferencePredictionSet(source, predictions), Json.Options), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored set, else the reference rows scored now (and stored); null with why when the model cannot score them.</summary>
    /// <param name="inputs">The reference columns the model takes, sent by name.</param>
    public async Task<(ReferencePredictionSet? Set, string? Why)> GetOrCaptureAsync(string model, int version, MonitoringReference reference, IReadOnlyList<string> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(inputs);
        var blob = await BlobAsync(model, version, cancellationToken).ConfigureAwait(false);
        if (await BlobJson.ReadAsync<ReferencePredictionSet>(blob, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return (stored, null);
        }

        var dataset = await datasets.GetAsync(reference.Dataset, VersionReference.Of(reference.Version), cancellationToken).ConfigureAwait(false);
        if (dataset?.Profile is not { } profile)
        {
            return (null, $"dataset '{reference.Dataset}' version {reference.Version} has no stored profile to score");
        }

        var columns = inputs.Where(profile.ContainsKey).ToList();
        if (columns.Count == 0)
        {
            return (null, $"none of the model's inputs is a column of '{reference.Dataset}' version {reference.Version}");
        }

        var limit = options.Value.ReferencePredictionRows;
        var rows = new List<object?[]>();
        var markers = (await catalog.MissingMarkersAsync(reference.Dataset, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var content = await blobs.ContentAsync(reference.Dataset, dataset.Sha256, cancellationToken).ConfigureAwait(false);
        await DatasetRows.ReadAsync(content, dataset.Format, columns, markers, (row, values) =>
        {
            if (row < limit)
            {
                rows.Add([.. values.Select((v, c) => Typed(v, profile[columns[c]].Type))]);
            }
        }, cancellationToken).ConfigureAwait(false);

        var predictions = new List<object?>(rows.Count);
        try
        {
            foreach (var chunk in rows.Chunk(1_000))
            {
                var body = JsonSerializer.SerializeToElement(new { dataframe_split = new { columns, data = chunk } }, Json.Options);
                predictions.AddRange(await predictor.ScoreAsync(model, version, RecordBatch.Parse(body), cancellationToken).ConfigureAwait(false));
            }
        }
        catch (PredictionInputException ex)
        {
            return (null, $"version {version} cannot score the rows of '{reference.Dataset}' version {reference.Version}: {ex.Message}");
        }

        var written = BinaryData.FromObjectAsJson(new ReferencePredictionSet($"the first {rows.Count:N0} rows of '{reference.Dataset}' version {reference.Version}, scored by version {version}", predictions), Json.Options);
        await blob.UploadAsync(written, overwrite: true, cancellationToken).ConfigureAwait(false);
        // Read back as stored, so callers always see the answers as JSON, whether captured now or earlier.
        return (written.ToObjectFromJson<ReferencePredictionSet>(Json.Options), null);
    }

    private static object? Typed(string? text, ColumnType type) =>
        text is null ? null
        : type is ColumnType.Integer or ColumnType.Float && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
        : text;

    private async Task<Azure.Storage.Blobs.BlobClient> BlobAsync(string model, int version, CancellationToken cancellationToken) =>
        (await storage.ContainerAsync(StorageNames.ModelsContainer, cancellationToken).ConfigureAwait(false))
            .GetBlobClient($"{model}/monitoring/reference-predictions/{version.ToString(CultureInfo.InvariantCulture)}.json");
}
