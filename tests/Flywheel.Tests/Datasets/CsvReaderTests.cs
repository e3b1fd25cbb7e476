using System.Text;
using Flywheel.Datasets.Parsing;

namespace Flywheel.Tests.Datasets;

public sealed class CsvReaderTests
{
    [Fact]
    public async Task Quoted_fields_keep_embedded_delimiters_newlines_and_doubled_quotes()
    {
        var records = await ReadAsync("name,quote\r\n\"Smith, J\",\"said \"\"hi\"\"\r\nthen left\"\r\nplain,  spaced  \r\n");

        Assert.Equal(["name", "quote"], records[0].Fields);
        Assert.Equal(["Smith, J", "said \"hi\"\r\nthen left"], records[1].Fields);
        Assert.Equal(["plain", "spaced"], records[2].Fields);
        Assert.Equal([1L, 2L, 4L], records.Select(r => r.Line));
    }

    [Theory]
    [InlineData("a;b;c\n1;2;3\n", ';')]
    [InlineData("a\tb\tc\n1\t2\t3\n", '\t')]
    [InlineData("a,b\n1,2\n", ',')]
    [InlineData("\"x;y\",b\n1,2\n", ',')]
    public async Task Delimiter_is_detected_from_the_header_outside_quotes(string text, char expected)
    {
        var reader = new CsvReader();
        var handler = new Collector();

        await reader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), handler, CancellationToken.None);

        Assert.Equal((byte)expected, reader.Delimiter);
        Assert.True(handler.Records[0].Fields.Length >= 2);
        Assert.Equal(handler.Records[0].Fields.Length, handler.Records[1].Fields.Length);
    }

    [Fact]
    public async Task Byte_order_mark_is_skipped_and_a_missing_final_newline_is_fine()
    {
        var records = await ReadAsync("\uFEFFid,v\n1,2");

        Assert.Equal(["id", "v"], records[0].Fields);
        Assert.Equal(["1", "2"], records[1].Fields);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_but_counted()
    {
        var records = await ReadAsync("a\n\n1\n\r\n2\n");

        Assert.Equal([1L, 3L, 5L], records.Select(r => r.Line));
    }

    [Fact]
    public async Task Records_that_straddle_small_buffers_are_read_whole()
    {
        var text = "a,b\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"\"row {i}, with \"\"quotes\"\"\",{i}\r\n"));
        var handler = new Collector();

        await new CsvReader(bufferSize: 64).ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), handler, CancellationToken.None);

        Assert.Equal(201, handler.Records.Count);
        Assert.Equal(["row 199, with \"quotes\"", "199"], handler.Records[^1].Fields);
        Assert.Empty(handler.Problems);
    }

    [Fact]
    public async Task Unterminated_quote_is_reported_at_the_line_it_opened()
    {
        var handler = new Collector();

        await new CsvReader().ReadAsync(new MemoryStream("a,b\n1,2\n3,\"open\n4,5\n"u8.ToArray()), handler, CancellationToken.None);

        Assert.Equal(("unterminated-quote", 3L), handler.Problems.Single());
    }

    private static async Task<List<(string[] Fields, long Line)>> ReadAsync(string text)
    {
        var handler = new Collector();
        await new CsvReader().ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), handler, CancellationToken.None);
        Assert.Empty(handler.Problems);
        return handler.Records;
    }

    private sealed class Collector : ICsvRecordHandler
    {
        private byte[] _scratch = new byte[16];

        public List<(string[] Fields, long Line)> Records { get; } = [];

        public List<(string Kind, long Line)> Problems { get; } = [];

        public bool OnRecord(ReadOnlySpan<byte> buffer, ReadOnlySpan<CsvField> fields, long line)
        {
            var values = new string[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                values[i] = Encoding.UTF8.GetString(CsvReader.Value(buffer, fields[i], ref _scratch));
            }

            Records.Add((values, line));
            return true;
        }

        public bool OnProblem(string kind, string message, long line)
        {
            Problems.Add((kind, line));
            return true;
        }

        public ValueTask OnBatchEndAsync(byte[] buffer, int length, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
