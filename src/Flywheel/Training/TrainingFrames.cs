using System.Text;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Versions;

namespace Flywheel.Training;

/// <summary>Where the rows of each split part are, as CSV files in the <c>datasets</c> container: the features, then the label.</summary>
public sealed record TrainingFrameSet(string Train, string Validation, string Test, IReadOnlyList<string> Columns);

/// <summary>A frame set's files on this machine's disk, where ML.NET loads them from.</summary>
public sealed record LocalFrames(string Train, string Validation, string Test);

/// <summary>
/// Writes each part of a split as a CSV file of the columns training reads (the features, then the
/// label; labelled rows only; missing cells empty; RFC 4180 quoting), in one read of the version.
/// Trainers load these files as they are, and every trial of a run (and of any run with the same
/// split and features) reads the same bytes, so the files are written once, beside the split.
/// </summary>
public sealed class TrainingFrames(DatasetBlobs blobs)
{
    private const byte Train = 1, Validation = 2, Test = 3;

    public async Task<TrainingFrameSet> WriteAsync(TrainingPlan plan, DataSplit split, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(split);
        var columns = plan.Features.Select(f => f.Name).Append(plan.Request.Label).ToList();
        var key = DataSplitter.Key(string.Join('\u001f', columns));
        var folder = $"{split.Blob[..^".split".Length]}/{key}";
        var set = new TrainingFrameSet($"{folder}/train.csv", $"{folder}/validation.csv", $"{folder}/test.csv", columns);
        var container = await blobs.ContainerAsync(cancellationToken).ConfigureAwait(false);
        // The test part is written last: when it exists, the three are complete.
        if (await container.GetBlobClient(set.Test).ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return set;
        }

        var rows = await DataSplitter.ReadAsync(container.GetBlobClient(split.Blob), cancellationToken).ConfigureAwait(false);
        var part = new byte[new[] { rows.Train, rows.Validation, rows.Test }.SelectMany(r => r).DefaultIfEmpty(-1).Max() + 1];
        Array.ForEach(rows.Train, r => part[r] = Train);
        Array.ForEach(rows.Validation, r => part[r] = Validation);
        Array.ForEach(rows.Test, r => part[r] = Test);

        var writers = new Dictionary<byte, (Stream Blob, StreamWriter Text)>();
        try
        {
            foreach (var (which, path) in new[] { (Train, set.Train), (Validation, set.Validation), (Test, set.Test) })
            {
                var stream = await container.GetBlockBlobClient(path).OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions(), cancellationToken).ConfigureAwait(false);
                var text = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
                writers[which] = (stream, text);
                await text.WriteLineAsync(string.Join(',', columns.Select(Quote))).ConfigureAwait(false);
            }

            var content = await blobs.ContentAsync(plan.Request.Dataset, plan.Sha256, cancellationToken).ConfigureAwait(false);
            var line = new StringBuilder();
            await DatasetRows.ReadAsync(content, plan.Format, columns, plan.MissingMarkers.ToHashSet(StringComparer.Ordinal), (row, values) =>
            {
                if (row >= part.Length || part[row] == 0)
                {
                    return;
                }

                line.Clear();
                for (var c = 0; c < values.Length; c++)
                {
                    line.Append(c == 0 ? string.Empty : ",").Append(values[c] is { } value ? Quote(value) : string.Empty);
                }

                writers[part[row]].Text.WriteLine(line);
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var which in new[] { Train, Validation, Test })
            {
                if (writers.TryGetValue(which, out var writer))
                {
                    await writer.Text.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        return set;
    }

    /// <summary>
    /// The frames as local files, downloaded once per machine: the blobs never change (content-addressed),
    /// so every trial on this instance reads the same copy. A download lands under a temporary name
    /// and is moved into place, so a concurrent trial never sees half a file.
    /// </summary>
    public async Task<LocalFrames> LocalAsync(TrainingFrameSet set, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        var container = await blobs.ContainerAsync(cancellationToken).ConfigureAwait(false);
        var folder = Path.Combine(Path.GetTempPath(), "flywheel-frames", DataSplitter.Key(container.Uri.ToString(), set.Test));
        Directory.CreateDirectory(folder);
        async Task<string> Local(string blob)
        {
            var path = Path.Combine(folder, Path.GetFileName(blob));
            if (!File.Exists(path))
            {
                var partial = $"{path}.{Guid.NewGuid():N}.part";
                await container.GetBlobClient(blob).DownloadToAsync(partial, cancellationToken).ConfigureAwait(false);
                File.Move(partial, path, overwrite: true);
            }

            return path;
        }

        return new LocalFrames(await Local(set.Train).ConfigureAwait(false), await Local(set.Validation).ConfigureAwait(false), await Local(set.Test).ConfigureAwait(false));
    }

    /// <summary>A CSV cell: quoted when it holds a comma, quote or line break, is empty or has surrounding spaces.</summary>
    internal static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 && value.Length > 0 && value.Trim().Length == value.Length
            ? value
            : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
