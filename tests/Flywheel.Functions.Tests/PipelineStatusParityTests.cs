using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Flywheel.Api.Pipelines;
using Flywheel.Contracts.Pipelines;
using Flywheel.Contracts.Registry;
using Flywheel.Datasets.Ingest;
using Flywheel.Functions.Pipelines;
using Flywheel.Pipelines;
using Flywheel.Pipelines.BatchScoring;
using Flywheel.Registry;
using Flywheel.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Functions.Tests;

/// <summary>
/// The same batch run seen through Durable Functions' client (the real <c>DurableTaskClient</c>, on
/// Microsoft.DurableTask's in-process engine) and through LocalHost's API on its own engine: the
/// status documents must have the same shape and the same values, ids and times aside.
/// </summary>
public sealed class PipelineStatusParityTests
{
    private static readonly string[] s_features = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    [Fact]
    public async Task A_run_reads_the_same_through_the_durable_functions_client_as_through_LocalHost()
    {
        var csv = Csv(300);
        var model = File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "..", "shared", "testdata", "models", "01_skl2onnx_rf_iris_zipmap", "model.onnx"));
        var request = new BatchScoringRequest { Model = "iris", Dataset = "flowers", ChunkRows = 100 };

        var functions = await ThroughDurableFunctionsClientAsync(csv, model, request);
        var local = await ThroughLocalHostAsync(csv, model, request);

        Assert.Equal(Shape(local), Shape(functions));
        foreach (var property in new[] { "name", "runtimeStatus", "input", "customStatus" })
        {
            Assert.Equal(local.GetProperty(property).GetRawText(), functions.GetProperty(property).GetRawText());
        }

        Assert.Equal(300, functions.GetProperty("output").GetProperty("rows").GetInt64());
        Assert.Equal(local.GetProperty("output").GetProperty("modelVersion").GetInt32(), functions.GetProperty("output").GetProperty("modelVersion").GetInt32());
    }

    [Fact]
    public void Every_runtime_status_the_api_filters_by_names_a_status_of_both_engines()
    {
        foreach (var status in PipelineQuery.RuntimeStatuses)
        {
            Assert.True(Enum.TryParse<Microsoft.DurableTask.Client.OrchestrationRuntimeStatus>(status, out _), status);
            Assert.True(Enum.TryParse<DurableTask.Core.OrchestrationStatus>(status, out _), status);
        }
    }

    private static async Task<JsonElement> ThroughDurableFunctionsClientAsync(string csv, byte[] model, BatchScoringRequest request)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Flywheel:Storage:NamePrefix"] = Azurite.UniqueName("p")[..12],
        }).Build();
        await using var host = await DurableTaskTestHost.StartAsync(
            registry => registry.AddFlywheelTasks(),
            new DurableTaskTestHostOptions { Port = FreePort.Next(), ConfigureServices = services => services.AddLogging().AddFlywheel(configuration) });
        var ingest = await host.Services.GetRequiredService<DatasetIngestor>().IngestAsync("flowers", new MemoryStream(Encoding.UTF8.GetBytes(csv)), "test", CancellationToken.None);
        Assert.Equal(IngestStatus.Created, ingest.Status);
        await host.Services.GetRequiredService<ModelRegistry>().RegisterAsync("iris", model, new ModelRegistration { FeatureNames = s_features }, null, CancellationToken.None);

        IPipelineClient pipelines = new DurablePipelineClient(host.Client);
        var id = Guid.NewGuid().ToString("N");
        await pipelines.StartAsync(PipelineTasks.BatchScoring, id, new BatchScoringStart(request, 4, 3), CancellationToken.None);
        var status = await WaitAsync(() => pipelines.GetAsync(id, CancellationToken.None));
        var listed = await pipelines.ListAsync(new PipelineQuery(PipelineTasks.BatchScoring, ["Completed"], null, null, 10, null), CancellationToken.None);
        Assert.Equal(id, Assert.Single(listed.Items).InstanceId);
        return JsonSerializer.SerializeToElement(status, Json.Options);
    }

    private static async Task<JsonElement> ThroughLocalHostAsync(string csv, byte[] model, BatchScoringRequest request)
    {
        await using var app = new WebApplicationFactory<LocalHost.Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("AzureWebJobsStorage", Azurite.ConnectionString);
            builder.UseSetting("Flywheel:Storage:NamePrefix", Azurite.UniqueName("q")[..12]);
            builder.UseSetting("Flywheel:LocalEngine:MaxQueuePollingInterval", "00:00:00.200");
        });
        using var client = app.CreateClient();
        using (var data = new StringContent(csv))
        {
            (await client.PutAsync(new Uri("api/datasets/flowers", UriKind.Relative), data)).EnsureSuccessStatusCode();
        }

        using (var form = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent(model);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "model.onnx");
            form.Add(new StringContent(JsonSerializer.Serialize(new { featureNames = s_features }), Encoding.UTF8, "application/json"), "metadata");
            (await client.PostAsync(new Uri("api/models/iris/versions", UriKind.Relative), form)).EnsureSuccessStatusCode();
        }

        using var start = new StringContent(JsonSerializer.Serialize(request with { Model = string.Empty }, Json.Options), Encoding.UTF8, "application/json");
        using var started = await client.PostAsync(new Uri("api/models/iris/batch-predictions", UriKind.Relative), start);
        var id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        return await WaitAsync(async () =>
        {
            var text = await client.GetStringAsync(new Uri($"api/pipelines/{id}", UriKind.Relative));
            return JsonDocument.Parse(text).RootElement.Clone();
        });
    }

    private static async Task<PipelineStatus> WaitAsync(Func<Task<PipelineStatus?>> read) =>
        JsonSerializer.Deserialize<PipelineStatus>(await WaitAsync(async () => JsonSerializer.SerializeToElement(await read(), Json.Options)), Json.Options)!;

    private static async Task<JsonElement> WaitAsync(Func<Task<JsonElement>> read)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await read();
            if (status.ValueKind == JsonValueKind.Object && status.GetProperty("runtimeStatus").GetString() is not ("Pending" or "Running"))
            {
                Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Still running: {status}");
            await Task.Delay(100);
        }
    }

    // Property names and value kinds, recursively: what a client parsing the status depends on.
    private static string Shape(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}:{Shape(p.Value)}")) + "}",
        JsonValueKind.Array => "[" + (element.GetArrayLength() > 0 ? Shape(element[0]) : string.Empty) + "]",
        var kind => kind.ToString(),
    };

    private static string Csv(int rows)
    {
        string[] samples = ["5.1,3.5,1.4,0.2", "6.3,2.5,4.9,1.5", "7.7,3.0,6.1,2.3", "5.7,2.8,4.1,1.3"];
        var csv = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(samples[i % samples.Length]).Append('\n');
        }

        return csv.ToString();
    }
}
