using Flywheel.Cli;
using Flywheel.Cli.Serving;

namespace Flywheel.Tests.Cli;

/// <summary>How <c>flywheel predict --file</c> cuts a CSV file into request bodies.</summary>
public sealed class CsvBatchesTests
{
    private static async Task<List<string>> BatchesAsync(string csv, int rows)
    {
        var batches = new List<string>();
        await foreach (var batch in CsvBatches.ReadAsync(new StringReader(csv), rows, CancellationToken.None))
        {
            batches.Add(batch);
        }

        return batches;
    }

    [Fact]
    public async Task A_quoted_field_with_line_breaks_stays_in_one_record_across_a_batch_boundary()
    {
        // The second record's note spans three physical lines, one of them blank: cutting at physical lines would
        // send half a record in each request, and dropping the blank line or rewriting its CRLFs would change the value.
        const string csv = "id,note\r\n1,plain\r\n2,\"first line\r\n\r\n\"\"quoted\"\" last\"\r\n3,after\r\n";

        var batches = await BatchesAsync(csv, 2);

        Assert.Equal(["id,note\n1,plain\n2,\"first line\r\n\r\n\"\"quoted\"\" last\"\n", "id,note\n3,after\n"], batches);
    }

    [Fact]
    public async Task Blank_lines_between_records_are_dropped_and_every_batch_has_the_header()
    {
        var batches = await BatchesAsync("a,b\n\n1,2\n\n3,4\n5,6\n\n", 2);

        Assert.Equal(["a,b\n1,2\n3,4\n", "a,b\n5,6\n"], batches);
    }

    [Fact]
    public async Task An_empty_file_is_a_usage_error_and_a_header_alone_sends_nothing()
    {
        await Assert.ThrowsAsync<CliUsageException>(() => BatchesAsync("\n\n", 10));
        Assert.Empty(await BatchesAsync("a,b\n", 10));
    }
}
