using System.Net;
using System.Text.Json;
using Flywheel.Client;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Registry;
using Flywheel.Contracts.Serving;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Clients;

public sealed class ClientModelTests
{
    private static readonly float[][] s_iris = [[5.1f, 3.5f, 1.4f, 0.2f], [6.7f, 3.0f, 5.2f, 2.3f]];

    private static async Task RegisterIrisAsync(FlywheelClient client, string name)
    {
        using var onnx = File.OpenRead(ModelFiles.PathOf(ModelFiles.IrisZipMap));
        await client.Models.RegisterAsync(name, onnx, new ModelRegistration { Description = "forest", Tags = new Dictionary<string, string> { ["team"] = "flowers" } });
    }

    [Fact]
    public async Task A_registered_version_is_listed_aliased_carded_downloaded_and_kept_in_history()
    {
        await using var app = new FlywheelApp();
        using var client = ClientApp.ClientFor(app);
        await RegisterIrisAsync(client, "iris");

        var alias = await client.Models.SetAliasAsync("iris", "champion", 1);

        Assert.Equal(HistoryAction.AliasSet, alias.Action);
        Assert.Equal("iris", Assert.Single(await client.Models.ListAsync().AllAsync()).Name);
        var model = await client.Models.GetAsync("iris");
        Assert.Equal(1, model.Aliases["champion"]);
        var version = await client.Models.GetVersionAsync("iris", "champion");
        Assert.Equal(("forest", "flowers"), (version.Description, version.Tags["team"]));
        Assert.Equal([1], (await client.Models.ListVersionsAsync("iris", pageSize: 1).AllAsync()).Select(v => v.Version));
        Assert.Contains("forest", await client.Models.GetCardAsync("iris", "1"), StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", await client.Models.GetCardAsync("iris", "1", html: true), StringComparison.OrdinalIgnoreCase);
        using var copy = new MemoryStream();
        await client.Models.DownloadAsync("iris", "1", copy);
        Assert.Equal(await File.ReadAllBytesAsync(ModelFiles.PathOf(ModelFiles.IrisZipMap)), copy.ToArray());
        Assert.Contains(await client.Models.HistoryAsync("iris").AllAsync(), h => h.Action == HistoryAction.AliasSet && h.To == 1);

        var archive = await Assert.ThrowsAsync<FlywheelRequestException>(() => client.Models.ArchiveVersionAsync("iris", "1"));
        Assert.Equal(HttpStatusCode.Conflict, archive.Status);
        Assert.Equal(ProblemTypes.RegistryConflict, archive.Code);
    }

    [Fact]
    public async Task Predictions_come_back_typed_with_the_answering_version_and_the_request_id_feedback_names()
    {
        await using var app = new FlywheelApp();
        using var client = ClientApp.ClientFor(app);
        await RegisterIrisAsync(client, "iris");

        var result = await client.Serving.PredictAsync("iris", new { instances = s_iris }, requestId: "req-client-1");

        Assert.Equal(new ServedVersion("iris", 1), result.Model);
        Assert.Equal("req-client-1", result.RequestId);
        Assert.Equal(2, result.Predictions.Count);
        Assert.All(result.Predictions, p => Assert.Equal(PredictionKind.Label, p.Kind));
        Assert.Equal(1.0, result.Predictions[0].Probabilities!.Values.Sum(), 4);
        var feedback = await client.Serving.SendFeedbackAsync("iris", "req-client-1", JsonSerializer.SerializeToElement(new[] { 0, 2 }));
        Assert.Equal("req-client-1", feedback.RequestId);
    }

    [Fact]
    public async Task A_deployment_is_set_read_and_removed_and_a_bad_one_raises_what_is_wrong()
    {
        await using var app = new FlywheelApp();
        using var client = ClientApp.ClientFor(app);
        await RegisterIrisAsync(client, "iris");

        var deployed = await client.Serving.DeployAsync("iris", new Deployment([new DeploymentRoute(Flywheel.Contracts.VersionReference.Parse("1"), 100)]));
        var bad = await Assert.ThrowsAsync<FlywheelRequestException>(() => client.Serving.DeployAsync("iris", new Deployment([])));

        Assert.NotNull(deployed.Deployment);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal(ProblemTypes.InvalidDeployment, bad.Code);
        Assert.Contains("route", bad.Detail, StringComparison.Ordinal);
        await client.Serving.DeleteDeploymentAsync("iris");
        Assert.Null((await client.Serving.GetDeploymentAsync("iris")).Deployment);
    }

    [Fact]
    public async Task An_open_inference_protocol_error_raises_the_same_exception_with_its_message()
    {
        await using var app = new FlywheelApp();
        using var client = ClientApp.ClientFor(app);
        await RegisterIrisAsync(client, "iris");

        var answer = await client.Serving.InferAsync("iris", new { inputs = new[] { new { name = "float_input", shape = new[] { 1, 4 }, datatype = "FP32", data = s_iris[0] } } });
        var error = await Assert.ThrowsAsync<FlywheelRequestException>(() => client.Serving.InferAsync("iris", new { inputs = new[] { new { name = "nope", shape = new[] { 1, 4 }, datatype = "FP32", data = s_iris[0] } } }));

        Assert.Equal("iris", answer.GetProperty("model_name").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Contains("nope", error.Detail, StringComparison.Ordinal);
        Assert.Null(error.Code);
    }
}
