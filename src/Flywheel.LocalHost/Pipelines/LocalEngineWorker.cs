using DurableTask.Core;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;
using CoreActivity = DurableTask.Core.TaskActivity;
using CoreOrchestration = DurableTask.Core.TaskOrchestration;

namespace Flywheel.LocalHost.Pipelines;

/// <summary>
/// Runs the registered Microsoft.DurableTask orchestrators and activities on the Durable Task
/// Framework's <see cref="TaskHubWorker"/>, wrapped by Microsoft.DurableTask.Worker's shim factory:
/// the same build-target mechanism Durable Functions' isolated worker uses. Tasks are created per
/// work item through the registry's factory, so activities get their services from DI.
/// </summary>
internal sealed partial class LocalEngineWorker(
    string name,
    IDurableTaskFactory factory,
    LocalEngine engine,
    IServiceProvider services,
    IOptionsMonitor<DurableTaskWorkerOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<LocalEngineWorker> logger)
    : DurableTaskWorker(name, factory)
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!engine.Enabled)
        {
            return;
        }

        var shims = new DurableTaskShimFactory(options.Get(Name), loggerFactory);
        var worker = new TaskHubWorker(
            engine.Service,
            new Lookup<CoreOrchestration>(task => Factory.TryCreateOrchestrator(task, services, out var orchestrator) ? shims.CreateOrchestration(task, orchestrator) : null),
            new Lookup<CoreActivity>(task => Factory.TryCreateActivity(task, services, out var activity) ? shims.CreateActivity(task, activity) : null),
            loggerFactory)
        {
            // The shims read failures as FailureDetails, as Durable Functions reports them.
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };

        await engine.EnsureCreatedAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
        await worker.StartAsync().ConfigureAwait(false);
        LogStarted(logger, engine.TaskHub);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: let in-flight work items finish, as the Functions host does.
        }

        await worker.StopAsync(isForced: false).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Local Durable Task engine running on task hub {TaskHub}")]
    private static partial void LogStarted(ILogger logger, string taskHub);

    /// <summary>Resolves tasks by name on each work item; the engine never adds to it.</summary>
    private sealed class Lookup<T>(Func<string, T?> create) : INameVersionObjectManager<T>
        where T : class
    {
        public void Add(ObjectCreator<T> creator) => throw new NotSupportedException("Tasks are registered through DurableTaskRegistry.");

        public T? GetObject(string name, string? version) => create(name);
    }
}
