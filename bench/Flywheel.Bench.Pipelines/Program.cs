using System.Diagnostics;
using System.Globalization;
using Flywheel.Api.Pipelines;
using Flywheel.Contracts.Pipelines;
using Flywheel.Pipelines;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// <activities>: runs an orchestration of that many sequential empty activities on the local engine
// (AzureWebJobsStorage, a fresh task hub) and prints the milliseconds per activity, wall clock and engine-recorded.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Flywheel:Storage:NamePrefix"] = $"b{Guid.NewGuid():N}"[..10],
});
builder.Services.AddFlywheel(builder.Configuration);
builder.Services.AddLocalPipelineEngine(builder.Configuration, registry => registry.AddOrchestrator<Sequence>().AddActivity<Empty>());
using var host = builder.Build();
await host.StartAsync();
var client = host.Services.GetRequiredService<IPipelineClient>();

// A warm-up run first: the first orchestration also pays for JIT and the task hub's first reads.
await RunAsync(client, 2);
var (wall, engine) = await RunAsync(client, count);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"local engine, {count} sequential empty activities: {wall / count:F1} ms per activity (wall clock), {engine / count:F1} ms (engine's created to last update)"));
await host.StopAsync();

static async Task<(double Wall, double Engine)> RunAsync(IPipelineClient client, int activities)
{
    var id = Guid.NewGuid().ToString("N");
    var watch = Stopwatch.StartNew();
    await client.StartAsync(nameof(Sequence), id, activities, CancellationToken.None);
    while (true)
    {
        var status = await client.GetAsync(id, CancellationToken.None);
        if (status?.RuntimeStatus == PipelineRuntimeStatus.Completed)
        {
            return (watch.Elapsed.TotalMilliseconds, (status.LastUpdatedTime - status.CreatedTime).TotalMilliseconds);
        }

        await Task.Delay(10);
    }
}

internal sealed class Sequence : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        var sum = 0;
        for (var i = 0; i < input; i++)
        {
            sum += await context.CallActivityAsync<int>(nameof(Empty), i);
        }

        return sum;
    }
}

internal sealed class Empty : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input);
}
