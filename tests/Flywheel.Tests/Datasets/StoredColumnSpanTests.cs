using Flywheel.Datasets.Versions;

namespace Flywheel.Tests.Datasets;

/// <summary>Reading many stored columns takes reads that grow with the bytes wanted, not one request per column.</summary>
public sealed class StoredColumnSpanTests
{
    private static (long Offset, long Length)[] Table(int columns, long width)
    {
        var table = new (long, long)[columns];
        for (var i = 0; i < columns; i++)
        {
            table[i] = (100 + (i * width), width);
        }

        return table;
    }

    [Theory]
    [InlineData(1_000, 100)]
    [InlineData(20_000, 100)]
    [InlineData(60_000, 100)]
    [InlineData(60_000, 700)]
    public void Every_column_of_a_wide_version_is_read_in_reads_bounded_by_bytes_not_columns(int columns, long width)
    {
        var table = Table(columns, width);
        var wanted = Enumerable.Range(0, columns).ToArray();

        var spans = DatasetBlobs.Spans(table, wanted, DatasetBlobs.MaxSpanBytes);

        Assert.Equal((int)Math.Ceiling(columns * width / (double)(DatasetBlobs.MaxSpanBytes - (DatasetBlobs.MaxSpanBytes % width))), spans.Count);
        Assert.Equal(wanted, spans.SelectMany(s => s.Columns).Order().ToArray());
        Assert.All(spans, s => Assert.True(s.Length <= DatasetBlobs.MaxSpanBytes));
        Assert.All(spans, s => Assert.All(s.Columns, i => Assert.True(table[i].Offset >= s.Offset && table[i].Offset + table[i].Length <= s.Offset + s.Length)));
    }

    [Fact]
    public void Columns_asked_in_any_order_come_back_in_their_own_slot()
    {
        var table = Table(10, 50);
        int[] wanted = [7, 2, 9, 2];

        var spans = DatasetBlobs.Spans(table, wanted, DatasetBlobs.MaxSpanBytes);

        var span = Assert.Single(spans);
        int[] all = [0, 1, 2, 3];
        Assert.Equal(all, span.Columns.Order().ToArray());
        Assert.Equal(table[2].Offset, span.Offset);
        Assert.Equal(table[9].Offset + 50 - table[2].Offset, span.Length);
    }

    [Fact]
    public void Far_apart_columns_and_one_larger_than_a_read_are_read_alone_and_empty_ones_not_at_all()
    {
        (long, long)[] table = [(10, 5), (1_000_000, 5), (1_000_005, 0), (2_000_000, 9 << 20), (20_000_000, 5)];

        var spans = DatasetBlobs.Spans(table, [0, 1, 2, 3, 4], DatasetBlobs.MaxSpanBytes);

        int[][] alone = [[0], [1], [3], [4]];
        Assert.Equal(alone, spans.Select(s => s.Columns.ToArray()).ToArray());
        Assert.Equal(9L << 20, spans[2].Length);
    }
}
