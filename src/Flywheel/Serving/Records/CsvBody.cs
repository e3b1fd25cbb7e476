using System.Text;
using System.Text.Json;
using Flywheel.Contracts.Errors;
using Flywheel.Datasets.Parsing;

namespace Flywheel.Serving.Records;

/// <summary>
/// A <c>text/csv</c> predict body: a header row of column names, then one row per prediction, read
/// by the datasets' <see cref="CsvReader"/> (quoted fields, CRLF or LF, a BOM, comma, semicolon or
/// tab). It is checked as CSV before any model is loaded; a model then types its cells
/// (<see cref="ToRecords"/>), because CSV itself cannot say whether <c>02134</c> is a number or a
/// string: the input a column feeds can.
/// </summary>
public sealed class CsvBody
{
    public const string MediaType = "text/csv";

    private CsvBody(IReadOnlyList<string> columns, IReadOnlyList<byte[][]> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    /// <summary>The header's column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Each row's cells (UTF-8, quotes undone), one per column.</summary>
    public IReadOnlyList<byte[][]> Rows { get; }

    /// <summary>Reads the body; a mistake is a 400 (<c>invalid-csv</c>) that says the line.</summary>
    public static async Task<CsvBody> ReadAsync(byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var handler = new Handler();
        using (var stream = new MemoryStream(body, writable: false))
        {
            // A buffer the size of the body (the request limit bounds it), not the reader's 1 MB default.
            var reader = new CsvReader(bufferSize: Math.Clamp(body.Length + 1, 4096, CsvReader.DefaultBufferSize));
            await reader.ReadAsync(stream, handler, cancellationToken).ConfigureAwait(false);
        }

        if (handler.Columns is null)
        {
            throw Invalid("The CSV body is empty: send a header row of column names, then one row per prediction.");
        }

        return handler.Rows.Count == 0
            ? throw Invalid("The CSV body has a header but no rows: send one row per prediction after it.")
            : new CsvBody(handler.Columns, handler.Rows);
    }

    /// <summary>
    /// The rows as <c>{"records": [...]}</c>, each cell the JSON value a records body would carry for
    /// the input its column feeds (<see cref="CsvCell.Write"/>), so the binder reads them, and the
    /// prediction log keeps them, exactly as it would the same rows sent as JSON.
    /// </summary>
    public JsonDocument ToRecords(InputPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var types = Columns.Select(plan.ElementTypeOf).ToArray();
        return JsonDocument.Parse(RecordBatch.WriteRecords(Rows, (writer, row) =>
        {
            for (var i = 0; i < row.Length; i++)
            {
                writer.WritePropertyName(Columns[i]);
                CsvCell.Write(writer, row[i], types[i]);
            }
        }));
    }

    private static FlywheelException Invalid(string message) => new(ErrorKind.InvalidInput, ProblemTypes.InvalidCsv, message);

    /// <summary>Collects the header and the rows, refusing at the first line that is not a row of the header's width.</summary>
    private sealed class Handler : ICsvRecordHandler
    {
        private byte[] _scratch = [];

        public string[]? Columns { get; private set; }

        public List<byte[][]> Rows { get; } = [];

        public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
        {
            if (Columns is null)
            {
                Columns = Header(buffer, fields, line);
                return true;
            }

            if (fields.Length != Columns.Length)
            {
                throw Invalid($"The CSV body cannot be read at line {line}: it has {fields.Length} field(s); the header has {Columns.Length}.");
            }

            var cells = new byte[fields.Length][];
            for (var i = 0; i < fields.Length; i++)
            {
                cells[i] = CsvReader.Value(buffer, fields[i], ref _scratch).ToArray();
            }

            Rows.Add(cells);
            return true;
        }

        public ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public bool OnProblem(string kind, string message, long line) =>
            throw Invalid($"The CSV body cannot be read at line {line}: {message}");

        private string[] Header(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
        {
            var names = new string[fields.Length];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Length; i++)
            {
                names[i] = Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[i], ref _scratch));
                if (names[i].Length == 0)
                {
                    throw Invalid($"The CSV body's header (line {line}) leaves column {i + 1} without a name: the first row names the columns.");
                }

                if (!seen.Add(names[i]))
                {
                    throw Invalid($"The CSV body's header (line {line}) names column '{names[i]}' twice.");
                }
            }

            return names;
        }
    }
}
