using System.Runtime.CompilerServices;
using System.Text;

namespace Flywheel.Cli.Serving;

/// <summary>
/// Splits a CSV file into bodies of at most a number of records, each behind the header record. Records end at a
/// line break outside quotes (RFC 4180), so a quoted field holding line breaks stays whole, byte for byte (a CRLF
/// inside quotes stays CRLF); blank lines between records are dropped, and each record is sent ending in '\n'.
/// </summary>
internal static class CsvBatches
{
    public static async IAsyncEnumerable<string> ReadAsync(TextReader reader, int recordsPerBatch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(recordsPerBatch, 1);
        var records = Records(reader, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (records.ConfigureAwait(false))
        {
            if (!await records.MoveNextAsync().ConfigureAwait(false))
            {
                throw new CliUsageException("The file is empty: a CSV file starts with a header line.");
            }

            var header = records.Current;
            var batch = new StringBuilder();
            var count = 0;
            while (await records.MoveNextAsync().ConfigureAwait(false))
            {
                if (count == 0)
                {
                    batch.Append(header).Append('\n');
                }

                batch.Append(records.Current).Append('\n');
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
    }

    /// <summary>Every non-blank record without its line break; an unclosed quote takes the rest of the file, as a parser would.</summary>
    private static async IAsyncEnumerable<string> Records(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new char[16 * 1024];
        var record = new StringBuilder();
        var quoted = false;
        var afterCr = false;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (afterCr)
                {
                    // The '\n' of a CRLF that ended a record.
                    afterCr = false;
                    if (c == '\n')
                    {
                        continue;
                    }
                }

                if (!quoted && c is '\r' or '\n')
                {
                    afterCr = c == '\r';
                    if (record.Length > 0)
                    {
                        yield return record.ToString();
                        record.Clear();
                    }

                    continue;
                }

                // An escaped quote ("") flips twice, so it leaves the field as it was.
                if (c == '"')
                {
                    quoted = !quoted;
                }

                record.Append(c);
            }
        }

        if (record.Length > 0)
        {
            yield return record.ToString();
        }
    }
}
