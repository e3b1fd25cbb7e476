using System.Runtime.CompilerServices;
using System.Text;

namespace Flywheel.Cli.Serving;

/// <summary>
/// Splits a CSV file into bodies of at most a number of records, each behind the header record. Records are cut at
/// line ends outside quotes (RFC 4180), so a quoted field holding a line break stays whole in one batch; blank lines
/// between records are dropped, blank lines inside a quoted field are kept.
/// </summary>
internal static class CsvBatches
{
    public static async IAsyncEnumerable<string> ReadAsync(TextReader reader, int recordsPerBatch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(recordsPerBatch, 1);
        var header = await NextRecordAsync(reader, cancellationToken).ConfigureAwait(false)
            ?? throw new CliUsageException("The file is empty: a CSV file starts with a header line.");
        var batch = new StringBuilder();
        var count = 0;
        while (await NextRecordAsync(reader, cancellationToken).ConfigureAwait(false) is { } record)
        {
            if (count == 0)
            {
                batch.Append(header).Append('\n');
            }

            batch.Append(record).Append('\n');
            if (++count == recordsPerBatch)
            {
                yield return batch.ToString();
                batch.Clear();
                count = 0;
            }
        }

        if (count > 0)
        {
            yield return batch.ToString();
        }
    }

    /// <summary>The next non-blank record (its lines joined by '\n'); null at the end. An unclosed quote takes the rest of the file, as a parser would.</summary>
    private static async Task<string?> NextRecordAsync(TextReader reader, CancellationToken cancellationToken)
    {
        StringBuilder? record = null;
        var quotes = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (record is null)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                record = new StringBuilder(line);
            }
            else
            {
                record.Append('\n').Append(line);
            }

            // An escaped quote ("") counts twice, so an odd running count means a field is still open.
            quotes += line.AsSpan().Count('"');
            if (quotes % 2 == 0)
            {
                return record.ToString();
            }
        }

        return record?.ToString();
    }
}
