using System.Globalization;
using System.Text;
using Flywheel.Datasets.Profiling;
using Flywheel.Storage;
using Parquet;
using Parquet.Serialization;

namespace Flywheel.Datasets.Parsing;

/// <summary>
/// Feeds an Apache Parquet file into a <see cref="DatasetProfiler"/> one row group at a time.
/// Values are profiled through their invariant text form, so a Parquet file and the same data as
/// CSV produce the same schema and profile.
/// </summary>
public sealed class ParquetDatasetReader(DatasetProfiler profiler, DataProblems problems)
{
    public static ReadOnlySpan<byte> Magic => "PAR1"u8;

    /// <summary>Reads a seekable stream positioned at the file's first byte.</summary>
    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            await ReadRowsAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            problems.Add("unreadable-parquet", $"The Parquet file cannot be read: {ex.Message}", unreadable: true);
        }
    }

    /// <summary>
    /// Whether a failure while decoding is the file's fault. Damaged footer or page bytes surface from
    /// the decoder as almost any exception type (a length past the end, an impossible allocation, a bad
    /// enum), so the test is what it is not: cancellation, or a failure of the storage the file is read from.
    /// </summary>
    private static bool IsDamage(Exception exception) =>
        exception is not (OperationCanceledException or Azure.RequestFailedException) && !StorageFailures.IsTransient(exception);

    private async Task ReadRowsAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (await ReadHeaderAsync(stream, cancellationToken).ConfigureAwait(false) is not var (rowGroups, names) || !profiler.SetHeader(names, line: 0))
        {
            return;
        }

        var buffer = new byte[256];
        for (var group = 0; group < rowGroups; group++)
        {
            stream.Position = 0;
            var rows = await ParquetSerializer.DeserializeUntypedAsync(stream, rowGroupIndex: group, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var row in rows.Data)
            {
                profiler.BeginRow();
                for (var column = 0; column < names.Length; column++)
                {
                    var value = row.GetValueOrDefault(names[column]);
                    if (value is null)
                    {
                        profiler.ObserveMissing(column, profiler.Rows);
                        continue;
                    }

                    var text = Text(value);
                    var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
                    if (buffer.Length < needed)
                    {
                        buffer = new byte[needed];
                    }

                    var length = Encoding.UTF8.GetBytes(text, buffer);
                    profiler.Observe(column, buffer.AsSpan(0, length), profiler.Rows);
                }
            }
        }
    }

    /// <summary>The row groups and column names from the footer, or null when the columns cannot be profiled (reported).</summary>
    private async Task<(int RowGroups, string[] Names)?> ReadHeaderAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (NestedColumns(reader.Schema) is { Count: > 0 } nested)
        {
            // Leaf-only names, flattened types and values read as missing would be a silently wrong profile.
            foreach (var (name, kind) in nested)
            {
                problems.Add("nested-column", $"Column '{name}' is a {kind}: Flywheel versions flat tables. Flatten it into one column per value first (pandas.json_normalize, Spark's col(\"a.b\")).",
                    name, value: kind, unreadable: true);
            }

            return null;
        }

        return (reader.RowGroupCount, [.. reader.Schema.GetDataFields().Select(field => field.Name)]);
    }

    /// <summary>Top-level columns that are not a single value per row: lists, structs, maps and repeated fields.</summary>
    private static List<(string Name, string Kind)> NestedColumns(Parquet.Schema.ParquetSchema schema) =>
    [
        .. schema.Fields.Select(field => (field.Name, Kind: field.SchemaType switch
        {
            Parquet.Schema.SchemaType.List => "list",
            Parquet.Schema.SchemaType.Struct => "struct",
            Parquet.Schema.SchemaType.Map => "map",
            _ => field is Parquet.Schema.DataField { IsArray: true } ? "repeated field" : null,
        })).Where(c => c.Kind is not null).Select(c => (c.Name, c.Kind!)),
    ];

    /// <summary>A Parquet value's invariant text: the form profiling sees, and batch scoring binds like a CSV cell.</summary>
    public static string Text(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("O", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
