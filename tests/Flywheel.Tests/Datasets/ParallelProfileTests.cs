using System.IO.Compression;
using System.Text;
using Flywheel.Contracts.Datasets;
using Flywheel.Datasets;
using Flywheel.Datasets.Parsing;
using Flywheel.Datasets.Profiling;

namespace Flywheel.Tests.Datasets;

/// <summary>
/// Rows profiled on several threads and merged give the single-threaded profile within the bounds
/// <see cref="ColumnProfiler.Merge"/> states: counts, missing, min, max, type, distinct (the
/// HyperLogLog registers), quantiles, histograms and sketch buckets exact; mean and standard
/// deviation within 1e-12 relative; top values exact while they fit, otherwise within the
/// summary's undercount bound of the true counts.
/// </summary>
public sealed class ParallelProfileTests
{
    private const double MeanTolerance = 1e-12;

    public static TheoryData<string> SharedCsvFiles()
    {
        var datasets = Path.Combine(Path.GetDirectoryName(Testing.SharedTestData.PathOf("PROVENANCE.md"))!, "datasets");
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(datasets, "*.csv*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetRelativePath(datasets, file));
        }

        return files;
    }

    [Fact]
    public void Every_shared_dataset_is_compared()
    {
        // The theory below covers whatever CSV files are shared: guard against it silently covering none.
        Assert.True(SharedCsvFiles().Count >= 10);
    }

    [Theory]
    [MemberData(nameof(SharedCsvFiles))]
    public async Task A_shared_dataset_profiled_on_two_workers_matches_one_worker(string file)
    {
        var bytes = await ReadAsync(file);
        var (single, singleStored) = await ProfileAsync(bytes, workers: 1, bufferSize: CsvReader.DefaultBufferSize);

        // Small buffers make many batches, so both workers take rows and their parts are merged.
        var (parallel, parallelStored) = await ProfileAsync(bytes, workers: 2, bufferSize: 2048);

        var truth = await ExactCountsAsync(bytes);
        AssertWithinBounds(single, parallel, truth);
        Assert.Equal(singleStored, parallelStored);
    }

    [Theory]
    [MemberData(nameof(SharedCsvFiles))]
    public async Task The_same_file_on_two_workers_gives_the_same_profile_every_time(string file)
    {
        // Rows are dealt to workers by batch number, not by which worker is free: thread timing cannot change a bit.
        var bytes = await ReadAsync(file);
        var profiles = new List<string>();
        for (var run = 0; run < 3; run++)
        {
            var (profile, _) = await ProfileAsync(bytes, workers: 2, bufferSize: 2048);
            profiles.Add(System.Text.Json.JsonSerializer.Serialize(profile));
        }

        Assert.All(profiles, p => Assert.Equal(profiles[0], p));
    }

    [Theory]
    [MemberData(nameof(SharedCsvFiles))]
    public async Task A_shared_dataset_split_into_interleaved_parts_merges_to_the_one_part_profile(string file)
    {
        // Deterministic: runs of 37 rows dealt to three parts in turn, whatever the thread timing.
        var bytes = await ReadAsync(file);
        var (single, _) = await ProfileAsync(bytes, workers: 1, bufferSize: CsvReader.DefaultBufferSize);
        var problems = new DataProblems();
        var profiler = new DatasetProfiler(DatasetContract.None, problems);
        var dealer = new Dealer(profiler, parts: 3, run: 37);
        await new CsvReader().ReadAsync(new MemoryStream(bytes), dealer, CancellationToken.None);

        AssertWithinBounds(single, profiler.Finish("csv"), await ExactCountsAsync(bytes));
    }

    private static async Task<byte[]> ReadAsync(string file)
    {
        var datasets = Path.Combine(Path.GetDirectoryName(Testing.SharedTestData.PathOf("PROVENANCE.md"))!, "datasets");
        await using var stream = File.OpenRead(Path.Combine(datasets, file));
        using var copy = new MemoryStream();
        if (file.EndsWith(".gz", StringComparison.Ordinal))
        {
            await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            await gzip.CopyToAsync(copy);
        }
        else
        {
            await stream.CopyToAsync(copy);
        }

        return WithHeader(copy.ToArray());
    }

    // scikit-learn's files open with a line of counts and class names, or with data: such a first
    // line gives way to column names, so the rows are profiled instead of reported as ragged.
    // (Only unquoted rows are split here; a quoted one is a file with a real header.)
    private static byte[] WithHeader(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var lines = text.Split('\n', 3);
        if (lines.Length < 3 || lines[1].Contains('"', StringComparison.Ordinal))
        {
            return bytes;
        }

        var (head, first) = (lines[0].TrimEnd('\r').Split(','), lines[1].TrimEnd('\r').Split(','));
        if (head.Length == first.Length && head.Distinct().Count() == head.Length)
        {
            return bytes;
        }

        var names = string.Join(',', Enumerable.Range(1, first.Length).Select(i => $"c{i}"));
        return Encoding.UTF8.GetBytes($"{names}\n{lines[1]}\n{lines[2]}");
    }

    private static async Task<(DatasetProfile Profile, byte[][] Stored)> ProfileAsync(byte[] bytes, int workers, int bufferSize)
    {
        var problems = new DataProblems();
        var profiler = new DatasetProfiler(DatasetContract.None, problems, columnStoreBytes: 16L << 20);
        await new CsvDatasetReader(profiler, problems, workers, bufferSize).ReadAsync(new MemoryStream(bytes), CancellationToken.None);
        var profile = profiler.Finish("csv");
        Assert.False(problems.Any, string.Join("; ", problems.ToList().Select(p => p.Kind)));
        return (profile, [.. profiler.StoredColumns().Select(c => c.Encode())]);
    }

    // Every column's exact value counts, as the profiler sees values (missing markers left out).
    private static async Task<Dictionary<string, Dictionary<string, long>>> ExactCountsAsync(byte[] bytes)
    {
        var counter = new ValueCounter(new DatasetProfiler(DatasetContract.None, new DataProblems()));
        await new CsvReader().ReadAsync(new MemoryStream(bytes), counter, CancellationToken.None);
        return counter.Counts;
    }

    private static void AssertWithinBounds(DatasetProfile single, DatasetProfile merged, Dictionary<string, Dictionary<string, long>> truth)
    {
        Assert.Equal(single.Rows, merged.Rows);
        Assert.Equal(single.Schema, merged.Schema);
        foreach (var (name, one) in single.Columns)
        {
            var other = merged.Columns[name];
            AssertColumnWithinBounds(one, other);
            AssertTopWithinBound(one, truth[name]);
            AssertTopWithinBound(other, truth[name]);
        }
    }

    /// <summary>A merged column profile against the one-pass profile, within the bounds the merge states.</summary>
    internal static void AssertColumnWithinBounds(ColumnProfile one, ColumnProfile other)
    {
        Assert.Equal(one.Type, other.Type);
        Assert.Equal(one.Nullable, other.Nullable);
        Assert.Equal(one.Categorical, other.Categorical);
        Assert.Equal(one.Count, other.Count);
        Assert.Equal(one.Missing, other.Missing);
        Assert.Equal(one.Distinct, other.Distinct);
        Assert.Equal(one.Min, other.Min);
        Assert.Equal(one.Max, other.Max);
        AssertClose(one.Mean, other.Mean);
        AssertClose(one.Std, other.Std);
        Assert.Equal(one.Quantiles, other.Quantiles);
        Assert.Equal(one.Histogram?.Edges, other.Histogram?.Edges);
        Assert.Equal(one.Histogram?.Counts, other.Histogram?.Counts);
        Assert.Equal(one.Sketch?.Zero, other.Sketch?.Zero);
        Assert.Equal(one.Sketch?.Positive.Offset, other.Sketch?.Positive.Offset);
        Assert.Equal(one.Sketch?.Positive.Counts, other.Sketch?.Positive.Counts);
        Assert.Equal(one.Sketch?.Negative.Offset, other.Sketch?.Negative.Offset);
        Assert.Equal(one.Sketch?.Negative.Counts, other.Sketch?.Negative.Counts);
        if (one.TopExact == true)
        {
            Assert.True(other.TopExact);
            Assert.Equal(one.Top, other.Top);
        }
    }

    private static void AssertClose(double? expected, double? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is { } e && actual is { } a)
        {
            Assert.True(Math.Abs(a - e) <= MeanTolerance * Math.Max(Math.Abs(e), double.Epsilon), $"{a:R} differs from {e:R} by more than {MeanTolerance} relative");
        }
    }

    // Exact top values equal the truth; others are lower bounds at most MaxUndercount below it.
    private static void AssertTopWithinBound(ColumnProfile profile, Dictionary<string, long> truth)
    {
        foreach (var top in profile.Top ?? [])
        {
            var count = truth[top.Value];
            if (profile.TopExact == true)
            {
                Assert.Equal(count, top.Count);
            }
            else
            {
                Assert.InRange(top.Count, count - TopValues.MaxUndercount, count);
            }
        }
    }

    /// <summary>Deals runs of rows to parts in turn, as workers taking batches would.</summary>
    private sealed class Dealer(DatasetProfiler profiler, int parts, int run) : ICsvRecordHandler
    {
        private byte[] _scratch = new byte[256];
        private ProfilePart[]? _parts;
        private bool _header;

        public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
        {
            if (!_header)
            {
                _header = true;
                var names = new string[fields.Length];
                for (var i = 0; i < fields.Length; i++)
                {
                    names[i] = Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[i], ref _scratch));
                }

                profiler.SetHeader(names, line);
                _parts = [.. Enumerable.Range(0, parts).Select(_ => profiler.NewPart())];
                return true;
            }

            profiler.BeginRow();
            var part = _parts![(int)((profiler.Rows - 1) / run % parts)];
            for (var c = 0; c < fields.Length; c++)
            {
                part.Observe(c, CsvReader.Value(buffer, fields[c], ref _scratch), line, profiler.Rows);
            }

            return true;
        }

        public ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public bool OnProblem(string kind, string message, long line) => false;
    }

    /// <summary>Counts every column's values exactly.</summary>
    private sealed class ValueCounter(DatasetProfiler markers) : ICsvRecordHandler
    {
        private byte[] _scratch = new byte[256];
        private string[]? _names;

        public Dictionary<string, Dictionary<string, long>> Counts { get; } = new(StringComparer.Ordinal);

        public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
        {
            if (_names is null)
            {
                _names = new string[fields.Length];
                for (var i = 0; i < fields.Length; i++)
                {
                    _names[i] = Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[i], ref _scratch));
                    Counts[_names[i]] = new Dictionary<string, long>(StringComparer.Ordinal);
                }

                return true;
            }

            for (var c = 0; c < fields.Length; c++)
            {
                var value = CsvReader.Value(buffer, fields[c], ref _scratch);
                if (!markers.IsMissing(value))
                {
                    var counts = Counts[_names[c]];
                    var text = Encoding.UTF8.GetString(value);
                    counts[text] = counts.GetValueOrDefault(text) + 1;
                }
            }

            return true;
        }

        public ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public bool OnProblem(string kind, string message, long line) => false;
    }
}
