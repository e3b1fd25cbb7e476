using System.Net;
using Flywheel.Client;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Errors;
using Flywheel.Tests.Datasets;

namespace Flywheel.Tests.Clients;

public sealed class ClientDatasetTests
{
    [Fact]
    public async Task A_pushed_file_becomes_a_version_reported_as_it_streams_and_downloads_byte_for_byte()
    {
        await using var app = new FlywheelApp();
        using var client = ClientApp.ClientFor(app);
        var reports = new List<TransferProgress>();

        var version = await client.Datasets.PushFileAsync("iris", DatasetFiles.Iris, new SynchronousProgress<TransferProgress>(reports.Add));

        var bytes = await File.ReadAllBytesAsync(DatasetFiles.Iris);
        Assert.Equal(1, version.Version);
        Assert.Equal(150, version.Rows);
        Assert.Equal(bytes.Length, reports[^1].Bytes);
        Assert.Equal(bytes.Length, reports[^1].Total);
        Assert.Equal("iris.csv", version.Source);
        Assert.Equal(version.Sha256, (await client.Datasets.GetVersionAsync("iris", "1")).Sha256);
        using var copy = new MemoryStream();
        await client.Datasets.DownloadAsync("iris", "latest", copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Lists_read_every_page_through_continuation_tokens()
    {
        await using var app = new FlywheelApp();
        using var client = ClientApp.ClientFor(app);
        foreach (var name in new[] { "ds-a1", "ds-a2", "ds-a3" })
        {
            await client.Datasets.PushAsync(name, new MemoryStream("x,y\n1,2\n3,4\n"u8.ToArray()));
        }

        await client.Datasets.PushAsync("ds-a1", new MemoryStream("x,y\n1,2\n3,4\n5,6\n"u8.ToArray()));

        Assert.Equal(["ds-a1", "ds-a2", "ds-a3"], (await client.Datasets.ListAsync(pageSize: 1).AllAsync()).Select(d => d.Name).Order(StringComparer.Ordinal));
        Assert.Equal([1, 2], (await client.Datasets.ListVersionsAsync("ds-a1", pageSize: 1).AllAsync()).Select(v => v.Version));
        var diff = await client.Datasets.DiffAsync("ds-a1", "1", "2");
        Assert.NotNull(diff);
    }

    [Fact]
    public async Task A_contract_rejection_raises_the_problem_with_its_code_and_keeps_the_stored_versions()
    {
        await using var app = new FlywheelApp();
        using var client = ClientApp.ClientFor(app);
        await client.Datasets.PushFileAsync("iris", DatasetFiles.Iris);
        await client.Datasets.SetContractAsync("iris", new DatasetContract { MinRows = 1_000 });

        var error = await Assert.ThrowsAsync<FlywheelRequestException>(() => client.Datasets.PushAsync("iris", new MemoryStream("sepal_length\n1\n"u8.ToArray())));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Status);
        Assert.Equal(ProblemTypes.DatasetRejected, error.Code);
        Assert.Contains("1000", error.Detail?.Replace(",", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(1000, (await client.Datasets.GetContractAsync("iris")).MinRows);
        Assert.Single(await client.Datasets.ListQuarantineAsync("iris").AllAsync());
        Assert.Equal(1, (await client.Datasets.GetVersionAsync("iris")).Version);
    }

    [Fact]
    public async Task A_missing_dataset_and_a_bad_name_raise_their_status_code_and_detail()
    {
        await using var app = new FlywheelApp();
        using var client = ClientApp.ClientFor(app);

        var missing = await Assert.ThrowsAsync<FlywheelRequestException>(() => client.Datasets.GetVersionAsync("nothing-here"));
        var invalid = await Assert.ThrowsAsync<FlywheelRequestException>(() => client.Datasets.GetVersionAsync("bad name!"));

        Assert.Equal((HttpStatusCode.NotFound, ProblemTypes.NotFound), (missing.Status, missing.Code));
        Assert.Contains("nothing-here", missing.Detail, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, ProblemTypes.InvalidName), (invalid.Status, invalid.Code));
        Assert.StartsWith("400 ", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_token_stops_a_list_before_any_request()
    {
        await using var app = new FlywheelApp();
        using var client = ClientApp.ClientFor(app);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Datasets.ListAsync(cancellationToken: cancelled.Token).AllAsync());
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
