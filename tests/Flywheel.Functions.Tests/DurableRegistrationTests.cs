using System.Reflection;
using Flywheel.Functions.Hosting;
using Flywheel.Pipelines;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Flywheel.Functions.Tests;

public sealed class DurableRegistrationTests
{
    [Fact]
    public void The_real_host_registers_every_orchestrator_and_activity_of_the_domain_as_durable_functions()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration["AzureWebJobsStorage"] = Flywheel.Testing.Azurite.ConnectionString;

        // In Azure the host runs the extensions' start-up code the Worker SDK generated into the app (it configures Durable).
        var startup = typeof(FlywheelFunctionsHost).Assembly.GetCustomAttribute<WorkerExtensionStartupCodeExecutorInfoAttribute>();
        Assert.NotNull(startup);
        ((WorkerExtensionStartup)Activator.CreateInstance(startup.StartupCodeExecutorType)!).Configure(builder);
        builder.ConfigureFlywheel();
        using var host = builder.Build();

        // Class-based tasks are not in functions.metadata: Durable's transformer adds them at start-up.
        var functions = new List<IFunctionMetadata>();
        foreach (var transformer in host.Services.GetServices<IFunctionMetadataTransformer>())
        {
            transformer.Transform(functions);
        }

        var triggers = functions.ToDictionary(f => f.Name!, f => f.RawBindings!.Single(), StringComparer.Ordinal);
        var tasks = typeof(PipelineTasks).Assembly.GetTypes().Where(t => !t.IsAbstract && Derives(t, typeof(TaskOrchestrator<,>)) || Derives(t, typeof(TaskActivity<,>))).ToList();
        Assert.NotEmpty(tasks);
        foreach (var task in tasks)
        {
            Assert.True(triggers.TryGetValue(task.Name, out var binding), $"{task.Name} is not registered with the Functions host.");
            Assert.Contains(Derives(task, typeof(TaskOrchestrator<,>)) ? "orchestrationTrigger" : "activityTrigger", binding, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Both_hosts_serialize_orchestration_payloads_identically()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration["AzureWebJobsStorage"] = Flywheel.Testing.Azurite.ConnectionString;
        var startup = typeof(FlywheelFunctionsHost).Assembly.GetCustomAttribute<WorkerExtensionStartupCodeExecutorInfoAttribute>()!;
        ((WorkerExtensionStartup)Activator.CreateInstance(startup.StartupCodeExecutorType)!).Configure(builder);
        builder.ConfigureFlywheel();
        using var host = builder.Build();
        var local = new ServiceCollection().AddLogging().AddFlywheel(builder.Configuration).BuildServiceProvider().GetRequiredService<DataConverter>();
        var payload = new Flywheel.Pipelines.BatchScoring.BatchScoringStart(
            new Flywheel.Contracts.Pipelines.BatchScoringRequest { Model = "iris", Dataset = "flowers", ModelVersion = null, Output = Flywheel.Contracts.Pipelines.BatchOutputFormat.Jsonl }, 4, 3);

        var worker = host.Services.GetRequiredService<IOptionsMonitor<Microsoft.DurableTask.Worker.DurableTaskWorkerOptions>>().Get(Options.DefaultName).DataConverter;
        var client = host.Services.GetRequiredService<IOptionsMonitor<Microsoft.DurableTask.Client.DurableTaskClientOptions>>().Get(Options.DefaultName).DataConverter;

        var expected = local.Serialize(payload);
        Assert.Contains("\"output\":\"jsonl\"", expected, StringComparison.Ordinal);
        Assert.Equal(expected, worker.Serialize(payload));
        Assert.Equal(expected, client.Serialize(payload));
        Assert.Equal(payload, local.Deserialize<Flywheel.Pipelines.BatchScoring.BatchScoringStart>(client.Serialize(payload)));
    }

    private static bool Derives(Type type, Type generic)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == generic)
            {
                return true;
            }
        }

        return false;
    }
}
