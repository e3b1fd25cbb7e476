using System.Text;
using Flywheel.Datasets.Ingest;
using Flywheel.Datasets.Profiling;

namespace Flywheel.Datasets.Parsing;

/// <summary>Feeds a CSV file into a <see cref="DatasetProfiler"/>: header first, then every row, reporting ragged rows.</summary>
public sealed class CsvDatasetReader(DatasetProfiler profiler, DataProblems problems) : ICsvRecordHandler
{
    private const int MaxUnreadableProblems = 10_000;
    private byte[] _scratch = new byte[256];
    private bool _headerRead;
    private bool _headerUsable;
    private long _unreadable;

    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken) =>
        await new CsvReader().ReadAsync(stream, this, cancellationToken).ConfigureAwait(false);

    public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
    {
        if (!_headerRead)
        {
            _headerRead = true;
            var names = new string[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                names[i] = Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[i], ref _scratch));
            }

            _headerUsable = profiler.SetHeader(names, line);
            return _headerUsable;
        }

        profiler.BeginRow();
        if (fields.Length != profiler.ColumnCount)
        {
            problems.Add("ragged-row", "Every row must have as many fields as the header.", null, line, profiler.Rows,
                $"{fields.Length} fields, expected {profiler.ColumnCount}", unreadable: true);
            return ++_unreadable < MaxUnreadableProblems;
        }

        for (var i = 0; i < fields.Length; i++)
        {
            profiler.Observe(i, CsvReader.Value(buffer, fields[i], ref _scratch), line);
        }

        return true;
    }

    public bool OnProblem(string kind, string message, long line)
    {
        problems.Add(kind, message, null, line, _headerRead ? profiler.Rows + 1 : null, unreadable: true);
        return ++_unreadable < MaxUnreadableProblems;
    }
}
