using System.Diagnostics;
using System.Globalization;
using Flywheel.Datasets.Contracts;
using Flywheel.Datasets.Ingest;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Profiling;

if (args.Length != 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: Flywheel.Bench.Ingest <file.csv>");
    return 2;
}

// The same pass the ingestor runs, minus the staging upload: SHA-256, CSV parse, schema inference, profile.
var watch = Stopwatch.StartNew();
await using var file = new FileStream(args[0], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
using var hashing = new HashingStream(file, sink: null, maxBytes: long.MaxValue);
var problems = new DataProblems();
var profiler = new DatasetProfiler(DatasetContract.None, problems);
await new CsvDatasetReader(profiler, problems).ReadAsync(hashing, CancellationToken.None);
await hashing.DrainAsync(CancellationToken.None);
var sha = await hashing.Sha256Async();
var profile = profiler.Finish("csv");
watch.Stop();

var seconds = watch.Elapsed.TotalSeconds;
var megabytes = hashing.BytesRead / 1e6;
using var self = Process.GetCurrentProcess();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"flywheel rows={profile.Rows} columns={profile.Schema.Count} problems={problems.ToList().Count} sha256={sha[..12]} seconds={seconds:F2} MB/s={megabytes / seconds:F1} peakMB={self.PeakWorkingSet64 / 1e6:F0}"));
return 0;
