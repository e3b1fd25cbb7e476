using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Serving;
using Flywheel.Serving.Observation;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Signal;
using Flywheel.Testing;
using Flywheel.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Tests.Serving;

/// <summary>The per-version serving signal as the app counts it: errors, labels, shadow agreement, the deployment's view, the switch.</summary>
public sealed class ServingSignalApiTests
{
    private static readonly float[][] s_iris = ServingApiTests.s_iris;

    [Fact]
    public async Task Signal_counts_labels_and_shadow_agreement_per_version_and_the_deployment_reports_every_instance()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "agree", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "agree", ModelFiles.IrisSecondVersion());
        using var deployment = new StringContent("""{"routes":[{"version":1,"weight":100}],"shadow":{"version":2,"sample":1.0}}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync(new Uri("api/models/agree/deployment", UriKind.Relative), deployment)).StatusCode);

        // Every path: records (the fast path), instances (the general one), the Open Inference Protocol.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ServingApiTests.PostAsync(client, "api/models/agree/predict", new { records = new[] { new { float_input = s_iris[i] } } })).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await ServingApiTests.PostAsync(client, "api/models/agree/predict", new { instances = s_iris })).Status);
        Assert.Equal(HttpStatusCode.OK, (await ServingApiTests.PostAsync(client, "v2/models/agree/infer",
            new { inputs = new[] { new { name = "float_input", shape = new[] { 3, 4 }, datatype = "FP32", data = s_iris } } })).Status);

        // Another instance's row for the same minute: the deployment sums every instance's.
        var minute = ServingSignal.MinuteOf(DateTimeOffset.UtcNow);
        var other = new ServingSignal(TimeProvider.System);
        other.Served("agree", 1, 2.0);
        await new SignalStore(app.Storage, new SignalInstance("other-instance")).WriteAsync(other.Snapshot(), CancellationToken.None);

        var store = app.Services.GetRequiredService<SignalStore>();
        var shadow = await SumWhenAsync(app, 2, minute, c => c.ShadowCompared >= 5);
        var live = await store.SumAsync("agree", 1, minute, minute + 2, CancellationToken.None);
        var status = await Datasets.DatasetApiTests.GetJsonAsync(client, "api/models/agree/deployment");

        // The same forest (the second version differs only in trailing bytes) agrees on every label.
        Assert.Equal((5L, 5L), (shadow.ShadowCompared, shadow.ShadowAgreed));
        Assert.Equal(6L, live.Requests);
        Assert.Equal(9L, live.Labels.Values.Sum());
        Assert.Equal(3, live.Labels.Count);
        Assert.Equal(live.Labels, shadow.Shadow!.Labels);
        Assert.Equal(5L, shadow.Shadow.Requests);
        Assert.Equal(0L, shadow.Requests);
        var signal = status.GetProperty("signal").EnumerateArray().ToDictionary(v => v.GetProperty("version").GetInt32());
        Assert.Equal(6, signal[1].GetProperty("requests").GetInt64());
        Assert.Equal(0, signal[1].GetProperty("errors").GetInt64());
        Assert.Equal(0.0, signal[1].GetProperty("errorRate").GetDouble());
        Assert.True(signal[1].GetProperty("latencyP99Ms").GetDouble() > 0);
        Assert.Equal(5, signal[2].GetProperty("shadowCompared").GetInt64());
        Assert.Equal(5, signal[2].GetProperty("shadowAgreed").GetInt64());
        Assert.Equal(5, signal[2].GetProperty("shadowRequests").GetInt64());
        Assert.Equal(0, signal[2].GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task A_version_whose_run_fails_counts_errors_on_every_path_but_a_callers_bad_input_does_not()
    {
        // Gather(x, x): indices within [0, rows) answer; any other value makes ONNX Runtime throw on inputs the signature accepts.
        var model = new OnnxGraph("x", width: 2, opset: 13, OnnxGraph.Int64).Node("Gather", "x,x", "y").TensorOutput("y", OnnxGraph.Int64).ToBytes();
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await FeatureNameBindingTests.RegisterAsync(client, "faulty", model, """{"featureNames": ["a", "b"]}""")).Status);
        var minute = ServingSignal.MinuteOf(DateTimeOffset.UtcNow);

        var good = await ServingApiTests.PostAsync(client, "api/models/faulty/predict", new { records = new[] { new { a = 0, b = 0 } } });
        var fast = await ServingApiTests.PostAsync(client, "api/models/faulty/predict", new { records = new[] { new { a = 5, b = 7 } } });
        var general = await ServingApiTests.PostAsync(client, "api/models/faulty/predict", new { instances = new[] { new[] { 5, 7 } } });
        var oip = await ServingApiTests.PostAsync(client, "v2/models/faulty/infer", new { inputs = new[] { new { name = "x", shape = new[] { 1, 2 }, datatype = "INT64", data = new[] { 5, 7 } } } });
        var csv = await PostCsvAsync(client, "api/models/faulty/predict", "a,b\n5,7\n");
        var unknownColumn = await ServingApiTests.PostAsync(client, "api/models/faulty/predict", new { records = new[] { new { a = 0, b = 0, z = 1 } } });
        var badJson = await client.PostAsync(new Uri("api/models/faulty/predict", UriKind.Relative), new StringContent("{\"records\":[", Encoding.UTF8, "application/json"));
        var wrongShape = await ServingApiTests.PostAsync(client, "v2/models/faulty/infer", new { inputs = new[] { new { name = "x", shape = new[] { 1, 3 }, datatype = "INT64", data = new[] { 0, 0, 0 } } } });
        var counts = await SumWhenAsync(app, 1, minute, c => c.Requests > 0, "faulty");

        Assert.Equal(HttpStatusCode.OK, good.Status);
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], new[] { fast.Status, general.Status, oip.Status });
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], new[] { unknownColumn.Status, wrongShape.Status });
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, csv);
        Assert.Equal(4, counts.Errors);
        Assert.Equal(5, counts.Requests);
        Assert.Empty(counts.Labels);
    }

    [Fact]
    public async Task A_shadow_that_fails_counts_an_error_against_the_shadow_version()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "shadowfail", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "shadowfail", ModelFiles.PytorchCnn);
        using var deployment = new StringContent("""{"routes":[{"version":1,"weight":100}],"shadow":{"version":2,"sample":1.0},"allowSignatureChange":true}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync(new Uri("api/models/shadowfail/deployment", UriKind.Relative), deployment)).StatusCode);
        var minute = ServingSignal.MinuteOf(DateTimeOffset.UtcNow);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ServingApiTests.PostAsync(client, "api/models/shadowfail/predict", new { instances = new[] { s_iris[i] } })).Status);
        }

        var counts = await SumWhenAsync(app, 2, minute, c => c.Shadow?.Errors >= 2, "shadowfail");

        // Counted as the shadow's, never as live failures of the version.
        Assert.Equal((2L, 2L, 0L), (counts.Shadow!.Requests, counts.Shadow.Errors, counts.ShadowCompared));
        Assert.Equal((0L, 0L), (counts.Requests, counts.Errors));
    }

    [Fact]
    public async Task Signal_off_counts_nothing_and_the_deployment_has_no_signal()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Serving:Signal"] = "false" });
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "quiet", ModelFiles.IrisZipMap);
        var minute = ServingSignal.MinuteOf(DateTimeOffset.UtcNow);

        var (status, _, _) = await ServingApiTests.PostAsync(client, "api/models/quiet/predict", new { records = new[] { new { float_input = s_iris[0] } } });
        await app.Services.GetRequiredService<SignalFlusher>().FlushAsync(CancellationToken.None);
        var counts = await app.Services.GetRequiredService<SignalStore>().SumAllAsync("quiet", minute - 1, minute + 2, CancellationToken.None);
        var deployment = await Datasets.DatasetApiTests.GetJsonAsync(client, "api/models/quiet/deployment");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(counts);
        Assert.False(deployment.TryGetProperty("signal", out _));
        Assert.Equal(1, deployment.GetProperty("requests").GetProperty("1").GetInt64());
    }

    [Fact]
    public async Task Labels_past_the_limit_are_counted_as_other_and_survive_storage_with_any_characters()
    {
        var model = $"lab-{Guid.NewGuid():N}"[..20];
        var signal = new ServingSignal(TimeProvider.System);
        var labels = Enumerable.Range(0, 40).Select(i => i == 0 ? "a,b:c %" : $"class-{i}").ToArray();
        signal.Served(model, 1, 1.0, Classifier(labels));
        signal.Served(model, 1, 1.0, Classifier(["a,b:c %", "class-39"]));
        signal.Served(model, 2, 1.0, new ShapedPredictions([new OutputValue("variable", "float", [2, 1], new[] { 1f, 2f }, null)], 2));
        var store = new SignalStore(Azurite.Clients(), new SignalInstance("labels"));

        await store.WriteAsync(signal.Snapshot(), CancellationToken.None);
        var minute = ServingSignal.MinuteOf(DateTimeOffset.UtcNow);
        var all = await store.SumAllAsync(model, minute - 1, minute + 1, CancellationToken.None);

        var counted = all[1].Labels;
        Assert.Equal(ServingSignal.MaxLabels + 1, counted.Count);
        Assert.Equal(2, counted["a,b:c %"]);
        Assert.Equal(40 - ServingSignal.MaxLabels + 1, counted[ServingSignal.OtherLabel]);
        Assert.Equal(42, counted.Values.Sum());
        Assert.Empty(all[2].Labels);
        Assert.Equal(1, all[2].Requests);
    }

    [Fact]
    public void Only_a_failure_of_the_version_itself_counts_against_it()
    {
        Assert.True(VersionFault.Is(new PredictionInputException("The model rejected the input") { RaisedByModel = true }));
        Assert.True(VersionFault.Is(new OutputNotServableException("Output 'z' is complex.")));
        Assert.True(VersionFault.Is(new InvalidOperationException("unexpected")));
        Assert.False(VersionFault.Is(new PredictionInputException("Unknown column(s) 'z'")));
        Assert.False(VersionFault.Is(new ModelNotFoundException("no such version")));
        Assert.False(VersionFault.Is(new JsonException("bad")));
        Assert.False(VersionFault.Is(new OperationCanceledException()));
    }

    private static ShapedPredictions Classifier(string[] labels) =>
        new([new OutputValue("output_label", "string", [labels.Length], labels, null), new OutputValue("output_probability", "float", [labels.Length, 2], new float[labels.Length * 2], null)], labels.Length);

    private static async Task<HttpStatusCode> PostCsvAsync(HttpClient client, string url, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        return (await client.PostAsync(new Uri(url, UriKind.Relative), content)).StatusCode;
    }

    /// <summary>Flushes the app's signal until the version's counts this minute and the next meet <paramref name="done"/> (the shadow scores off the response path), or 30 s pass.</summary>
    private static async Task<SignalCounts> SumWhenAsync(FlywheelApp app, int version, long minute, Func<SignalCounts, bool> done, string model = "agree")
    {
        var flusher = app.Services.GetRequiredService<SignalFlusher>();
        var store = app.Services.GetRequiredService<SignalStore>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await flusher.FlushAsync(CancellationToken.None);
            var counts = await store.SumAsync(model, version, minute, minute + 2, CancellationToken.None);
            if (done(counts) || DateTime.UtcNow > deadline)
            {
                return counts;
            }

            await Task.Delay(100);
        }
    }
}
