using Flywheel.Contracts.Datasets;
using nietras.SeparatedValues;
using System.Diagnostics;
using System.Globalization;
using Flywheel.Datasets;
using Flywheel.Datasets.Ingest;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Profiling;

// <file.csv>: the ingest pass. parse <file.csv>: Flywheel's CSV reader alone (every field touched).
// sep <file.csv>: Sep's reader alone, unescaping, every field touched. hash <file.csv>: SHA-256 alone.
switch (args)
{
    case ["parse", var path] when File.Exists(path):
        return await Timed("flywheel-parse", path, async stream =>
        {
            var fields = new FieldCounter();
            await new CsvReader().ReadAsync(stream, fields, CancellationToken.None);
            return fields.Total;
        });
    case ["sep", var path] when File.Exists(path):
        return await Timed("sep-parse", path, stream =>
        {
            long total = 0;
            using var reader = Sep.Reader(o => o with { HasHeader = true, Unescape = true }).From(stream);
            foreach (var row in reader)
            {
                for (var c = 0; c < row.ColCount; c++)
                {
                    total += row[c].Span.Length;
                }
            }

            return Task.FromResult(total);
        });
    case ["hash", var path] when File.Exists(path):
        return await Timed("sha256", path, async stream =>
        {
            var hash = await System.Security.Cryptography.SHA256.HashDataAsync(stream);
            return hash[0];
        });
    case [var path] when File.Exists(path):
        break;
    default:
        Console.Error.WriteLine("usage: Flywheel.Bench.Ingest [parse|sep|hash] <file.csv>");
        return 2;
}

// The same pass the ingestor runs, minus the uploads: SHA-256, CSV parse, schema inference, profile, stored columns (sorted, counted, encoded).
var watch = Stopwatch.StartNew();
await using var file = new FileStream(args[0], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
using var hashing = new HashingStream(file, sink: null, maxBytes: long.MaxValue);
var problems = new DataProblems();
// Flywheel__Datasets__ColumnStoreBytes as the app reads it (0: no stored columns, to see what they cost).
var storeBytes = long.TryParse(Environment.GetEnvironmentVariable("Flywheel__Datasets__ColumnStoreBytes"), out var setting) ? setting : new Flywheel.Datasets.DatasetOptions().ColumnStoreBytesFor(file.Length);
var profiler = new DatasetProfiler(DatasetContract.None, problems, storeBytes, () => (double)hashing.BytesRead / file.Length);
await new CsvDatasetReader(profiler, problems).ReadAsync(hashing, CancellationToken.None);
await hashing.DrainAsync(CancellationToken.None);
var sha = await hashing.Sha256Async();
var profile = profiler.Finish("csv");
var storedList = profiler.StoredColumns();
var storedBytes = storedList.Sum(c => (long)c.Encode().Length);
watch.Stop();

var seconds = watch.Elapsed.TotalSeconds;
var megabytes = hashing.BytesRead / 1e6;
using var self = Process.GetCurrentProcess();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"flywheel rows={profile.Rows} columns={profile.Schema.Count} problems={problems.ToList().Count} sha256={sha[..12]} seconds={seconds:F2} MB/s={megabytes / seconds:F1} storedColumnsMB={storedBytes / 1e6:F1} peakMB={self.PeakWorkingSet64 / 1e6:F0}"));
return 0;

static async Task<int> Timed(string name, string path, Func<Stream, Task<long>> pass)
{
    var watch = Stopwatch.StartNew();
    await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
    var check = await pass(file);
    var seconds = watch.Elapsed.TotalSeconds;
    using var self = Process.GetCurrentProcess();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name} check={check} seconds={seconds:F2} MB/s={new FileInfo(path).Length / 1e6 / seconds:F1} peakMB={self.PeakWorkingSet64 / 1e6:F0}"));
    return 0;
}

/// <summary>Touches every field: counts the bytes of each (what any consumer must at least do).</summary>
internal sealed class FieldCounter : ICsvRecordHandler
{
    public long Total { get; private set; }

    public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
    {
        foreach (var field in fields)
        {
            Total += field.Length;
        }

        return true;
    }

    public ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public bool OnProblem(string kind, string message, long line) => false;
}
