using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Runtime;
using Flywheel.Serving.Tensors;
using Flywheel.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Flywheel.Tests.Serving;

/// <summary>
/// In the running host, a warm model answers the usual records and infer requests on the fast paths
/// (<see cref="Predictor.TryPredictRecords"/>, <see cref="TensorInference.TryInfer"/>), with the
/// answers the general paths give and the HTTP routes send.
/// </summary>
public sealed class ServingFastPathTests
{
    private const string Records = """{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S"},{"pclass":3,"sex":"male","age":null,"fare":7.25,"embarked":"Q"}]}""";
    private const string Infer = """{"id":"fast-1","inputs":[{"name":"float_input","shape":[2,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2,6.7,3.0,5.2,2.3]}]}""";

    [Fact]
    public async Task A_warm_model_answers_the_usual_requests_on_the_fast_paths_with_the_general_paths_answers()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "titanic", ModelFiles.TitanicPipeline);
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);
        var predictor = app.Services.GetRequiredService<Predictor>();
        var inference = app.Services.GetRequiredService<TensorInference>();
        Assert.Null(predictor.TryPredictRecords("titanic", null, Encoding.UTF8.GetBytes(Records), _ => null, "cold"));

        using var routed = await PostAsync(client, "api/models/titanic/predict", Records);
        var fast = predictor.TryPredictRecords("titanic", null, Encoding.UTF8.GetBytes(Records), _ => null, "fast");
        using var document = JsonDocument.Parse(Records);
        var general = await predictor.PredictAsync("titanic", null, document.RootElement, _ => null, "general", CancellationToken.None);

        Assert.NotNull(fast);
        Assert.Equal(1, fast.Version);
        var expected = Encoding.UTF8.GetString(PredictionsJsonConverter.ToUtf8(general.Predictions));
        Assert.Equal(expected, Encoding.UTF8.GetString(PredictionsJsonConverter.ToUtf8(fast.Predictions)));
        Assert.Equal(expected, routed.RootElement.GetProperty("predictions").GetRawText());

        using var oip = await PostAsync(client, "v2/models/iris/infer", Infer);
        var answer = inference.TryInfer("iris", null, Encoding.UTF8.GetBytes(Infer));
        using var request = JsonDocument.Parse(Infer);
        var parsed = TensorRequest.Parse(request.RootElement);
        var (version, outputs) = await inference.InferAsync("iris", null, parsed.Inputs, parsed.Outputs, "general", CancellationToken.None);

        Assert.NotNull(answer);
        Assert.Equal(("fast-1", "fast-1", version), (answer.Id, answer.RequestId, answer.Version));
        Assert.Equal(
            Encoding.UTF8.GetString(PredictionsJsonConverter.ToUtf8(OutputShaper.Shape(outputs, 2))),
            Encoding.UTF8.GetString(PredictionsJsonConverter.ToUtf8(OutputShaper.Shape(answer.Outputs, 2))));
        Assert.Equal("fast-1", oip.RootElement.GetProperty("id").GetString());
        Assert.Equal([0L, 2L], oip.RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(d => d.GetInt64()));
    }

    private static async Task<JsonDocument> PostAsync(HttpClient client, string url, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(url, UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
