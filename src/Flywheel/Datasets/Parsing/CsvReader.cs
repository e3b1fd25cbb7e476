using System.Buffers;
using System.Text.Unicode;

namespace Flywheel.Datasets.Parsing;

/// <summary>
/// An RFC 4180 reader over UTF-8 bytes that never holds more than one buffer of the file: quoted
/// fields with embedded delimiters, newlines and doubled quotes; CRLF or LF; an optional BOM;
/// comma, semicolon or tab detected from the header line. Spaces around unquoted fields are
/// trimmed (files such as the UCI Adult set put one after every comma). Blank lines are skipped.
/// </summary>
public sealed class CsvReader(int bufferSize = CsvReader.DefaultBufferSize, int maxRecordBytes = CsvReader.DefaultMaxRecordBytes)
{
    public const int DefaultBufferSize = 1 << 20;
    public const int DefaultMaxRecordBytes = 16 << 20;
    private const byte Quote = (byte)'"';

    // How much of the file decides BOM, binary content and the delimiter.
    private const int SniffBytes = 8192;

    private SearchValues<byte> _stops = SearchValues.Create(",\n\r"u8);

    public byte Delimiter { get; private set; } = (byte)',';

    /// <summary>A UTF-16 byte order mark, or ASCII text with a NUL beside every other byte (UTF-16 without one).</summary>
    private static bool IsUtf16(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return true;
        }

        var pairs = Math.Min(head.Length / 2, 64);
        if (pairs < 2)
        {
            return false;
        }

        var evenNuls = 0;
        var oddNuls = 0;
        for (var i = 0; i < pairs * 2; i += 2)
        {
            evenNuls += head[i] == 0 ? 1 : 0;
            oddNuls += head[i + 1] == 0 ? 1 : 0;
        }

        return (evenNuls == pairs && oddNuls == 0) || (oddNuls == pairs && evenNuls == 0);
    }

    public async Task ReadAsync(Stream stream, ICsvRecordHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(handler);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        var fields = new List<CsvField>(64);
        try
        {
            var state = new ScanState { Line = 1 };
            var filled = 0;
            var first = true;
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                var eof = read == 0;
                filled += read;
                var start = 0;
                if (first && (filled >= Math.Min(SniffBytes, buffer.Length) || eof))
                {
                    first = false;
                    if (buffer.AsSpan(0, filled).StartsWith("\uFEFF"u8))
                    {
                        start = 3;
                    }

                    if (IsUtf16(buffer.AsSpan(0, Math.Min(filled, SniffBytes))))
                    {
                        handler.OnProblem("utf16", "The file is UTF-16 text: convert it to UTF-8 (for example iconv -f UTF-16 -t UTF-8).", 1);
                        return;
                    }

                    if (buffer.AsSpan(start, Math.Min(filled - start, SniffBytes)).IndexOf((byte)0) >= 0)
                    {
                        // Text never holds NUL: this is a binary file, whatever its first line looks like.
                        handler.OnProblem("binary", "The file contains NUL bytes: it is binary, not CSV text.", 1);
                        return;
                    }

                    Delimiter = DetectDelimiter(buffer.AsSpan(start, filled - start));
                    _stops = SearchValues.Create([Delimiter, (byte)'\n', (byte)'\r']);
                }
                else if (first)
                {
                    continue;
                }

                var consumed = Scan(buffer, start, filled, eof, fields, handler, ref state);
                await handler.OnBatchEndAsync(buffer, consumed, cancellationToken).ConfigureAwait(false);
                if (state.Stopped || eof)
                {
                    return;
                }

                var leftover = filled - consumed;
                if (leftover == buffer.Length)
                {
                    if (buffer.Length >= maxRecordBytes)
                    {
                        handler.OnProblem("record-too-long", $"A record is longer than {maxRecordBytes / (1 << 20)} MB (an unterminated quote?).", state.Line);
                        return;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                else if (consumed > 0)
                {
                    buffer.AsSpan(consumed, leftover).CopyTo(buffer);
                }

                filled = leftover;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int Scan(byte[] buffer, int position, int end, bool eof, List<CsvField> fields, ICsvRecordHandler handler, ref ScanState state)
    {
        var data = buffer.AsSpan(0, end);
        var stops = _stops;
        while (position < end)
        {
            var recordStart = position;
            var line = state.Line;
            var newlines = 0L;
            fields.Clear();
            var i = position;
            var complete = false;
            var unterminated = false;
            while (true)
            {
                // Leading spaces of an unquoted field, or before an opening quote.
                var fieldStart = i;
                while (i < end && data[i] == (byte)' ' && Delimiter != (byte)' ')
                {
                    i++;
                }

                if (i < end && data[i] == Quote)
                {
                    var contentStart = i + 1;
                    var j = contentStart;
                    var escaped = false;
                    var closed = false;
                    while (j < end)
                    {
                        var next = data[j..end].IndexOf(Quote);
                        if (next < 0)
                        {
                            j = end;
                            break;
                        }

                        newlines += data.Slice(j, next).Count((byte)'\n');
                        j += next;
                        if (j + 1 < end && data[j + 1] == Quote)
                        {
                            escaped = true;
                            j += 2;
                            continue;
                        }

                        if (j + 1 == end && !eof)
                        {
                            // Cannot tell a closing quote from the first of a doubled pair yet.
                            j = end;
                            break;
                        }

                        closed = true;
                        break;
                    }

                    if (!closed)
                    {
                        if (!eof)
                        {
                            return recordStart;
                        }

                        unterminated = true;
                        fields.Add(new CsvField(contentStart, end - contentStart, escaped));
                        i = end;
                        complete = true;
                        break;
                    }

                    fields.Add(new CsvField(contentStart, j - contentStart, escaped));
                    i = j + 1;
                    while (i < end && data[i] == (byte)' ')
                    {
                        i++;
                    }

                    if (i < end && !stops.Contains(data[i]))
                    {
                        // Text after a closing quote: keep it with the field rather than lose it.
                        var stray = data[i..end].IndexOfAny(stops);
                        if (stray < 0 && !eof)
                        {
                            return recordStart;
                        }

                        i = stray < 0 ? end : i + stray;
                        fields[^1] = new CsvField(fieldStart, i - fieldStart, false);
                    }
                }
                else
                {
                    var stop = data[i..end].IndexOfAny(stops);
                    if (stop < 0 && !eof)
                    {
                        return recordStart;
                    }

                    var fieldEnd = stop < 0 ? end : i + stop;
                    var trimmedEnd = fieldEnd;
                    while (trimmedEnd > i && data[trimmedEnd - 1] == (byte)' ')
                    {
                        trimmedEnd--;
                    }

                    fields.Add(new CsvField(i, trimmedEnd - i, false));
                    i = fieldEnd;
                }

                if (i >= end)
                {
                    if (!eof)
                    {
                        return recordStart;
                    }

                    complete = true;
                    break;
                }

                var b = data[i];
                if (b == Delimiter)
                {
                    i++;
                    if (i >= end && !eof)
                    {
                        return recordStart;
                    }

                    if (i >= end)
                    {
                        fields.Add(new CsvField(i, 0, false));
                        complete = true;
                        break;
                    }

                    continue;
                }

                if (b == (byte)'\r')
                {
                    if (i + 1 >= end && !eof)
                    {
                        return recordStart;
                    }

                    i += i + 1 < end && data[i + 1] == (byte)'\n' ? 2 : 1;
                }
                else
                {
                    i++;
                }

                newlines++;
                complete = true;
                break;
            }

            if (!complete)
            {
                return recordStart;
            }

            position = i;
            state.Line += newlines;
            var record = data[recordStart..i];
            if (record.IndexOf((byte)0) >= 0)
            {
                handler.OnProblem("binary", "The file contains NUL bytes: it is binary, not CSV text.", line);
                state.Stopped = true;
                return position;
            }

            if (!Utf8.IsValid(record))
            {
                if (!handler.OnProblem("not-utf8", "The record is not valid UTF-8 (re-save the file as UTF-8).", line))
                {
                    state.Stopped = true;
                    return position;
                }

                continue;
            }

            if (unterminated)
            {
                handler.OnProblem("unterminated-quote", "A quoted field opened here is never closed.", line);
                state.Stopped = true;
                return position;
            }

            if (fields.Count == 1 && record.Trim(" \r\n"u8).IsEmpty)
            {
                continue; // blank line
            }

            if (!handler.OnRecord(data, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(fields), line))
            {
                state.Stopped = true;
                return position;
            }
        }

        return position;
    }

    /// <summary>The most frequent of comma, semicolon and tab outside quotes on the first line; comma when none appears.</summary>
    private static byte DetectDelimiter(ReadOnlySpan<byte> data)
    {
        int commas = 0, semicolons = 0, tabs = 0;
        var quoted = false;
        foreach (var b in data)
        {
            if (b == Quote)
            {
                quoted = !quoted;
            }
            else if (!quoted)
            {
                if (b is (byte)'\n' or (byte)'\r')
                {
                    break;
                }

                commas += b == (byte)',' ? 1 : 0;
                semicolons += b == (byte)';' ? 1 : 0;
                tabs += b == (byte)'\t' ? 1 : 0;
            }
        }

        return tabs > commas && tabs >= semicolons ? (byte)'\t' : semicolons > commas ? (byte)';' : (byte)',';
    }

    /// <summary>Undoes doubled quotes of an escaped field into <paramref name="scratch"/>.</summary>
    public static ReadOnlySpan<byte> Value(ReadOnlySpan<byte> buffer, CsvField field, ref byte[] scratch)
    {
        var raw = buffer.Slice(field.Start, field.Length);
        if (!field.Escaped)
        {
            return raw;
        }

        if (scratch.Length < raw.Length)
        {
            scratch = new byte[Math.Max(raw.Length, scratch.Length * 2)];
        }

        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            scratch[length++] = raw[i];
            if (raw[i] == Quote && i + 1 < raw.Length && raw[i + 1] == Quote)
            {
                i++;
            }
        }

        return scratch.AsSpan(0, length);
    }

    private struct ScanState
    {
        public long Line;
        public bool Stopped;
    }
}
