using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Probes;
using Flywheel.Tests.Registry;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Tests.Serving;

/// <summary>
/// A model whose one [N, F] input has no registered feature names cannot tell which position a named
/// column feeds: by-name requests are refused (422 <c>missing-feature-names</c>) rather than bound in
/// the order the keys came; positional forms and records naming the input itself still score; and
/// feature names that could never bind are refused at registration.
/// </summary>
public sealed class FeatureNameBindingTests
{
    private static readonly float[][] s_rows = [[5.1f, 3.5f, 1.4f, 0.2f], [6.7f, 3.0f, 5.2f, 2.3f]];

    [Theory]
    [InlineData(ModelFiles.XgboostRegressor, """{"records":[{"a":5.1,"b":3.5,"c":1.4,"d":0.2}]}""")]
    [InlineData(ModelFiles.XgboostRegressor, """{"records":[{"d":0.2,"c":1.4,"b":3.5,"a":5.1}]}""")]
    [InlineData(ModelFiles.XgboostRegressor, """{"dataframe_split":{"columns":["p","q","r","s"],"data":[[5.1,3.5,1.4,0.2]]}}""")]
    [InlineData(ModelFiles.XgboostRegressor, """{"dataframe_records":[{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}]}""")]
    [InlineData(ModelFiles.XgboostRegressor, """{"instances":[{"a":5.1,"b":3.5,"c":1.4,"d":0.2}]}""")]
    [InlineData(ModelFiles.XgboostRegressor, """{"inputs":{"a":[5.1],"b":[3.5],"c":[1.4],"d":[0.2]}}""")]
    [InlineData(ModelFiles.IrisZipMap, """{"records":[{"petal_width":0.2,"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4}]}""")]
    [InlineData(ModelFiles.IrisZipMap, """{"dataframe_split":{"columns":["x1","x2","x3","x4"],"data":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}}""")]
    [InlineData(ModelFiles.IrisZipMap, """{"records":[{"a":5.1,"b":3.5}]}""")]
    [InlineData(ModelFiles.IrisZipMap, """{"extraColumns":"ignore","records":[{"a":5.1,"b":3.5,"c":1.4,"d":0.2,"e":9}]}""")]
    public async Task Columns_by_name_to_a_model_without_feature_names_are_a_422_saying_how_to_register_them(string model, string body)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "nameless-by-name", model);

        var latest = await SendAsync(client, "api/models/nameless-by-name/predict", body, "application/json");
        var pinned = await SendAsync(client, "api/models/nameless-by-name/versions/1/predict", body, "application/json");

        foreach (var (status, problem) in new[] { latest, pinned })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
            Assert.EndsWith("/missing-feature-names", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.Contains("no registered feature names", detail, StringComparison.Ordinal);
            Assert.Contains("metadata={\"featureNames\"", detail, StringComparison.Ordinal);
            Assert.Contains("\"instances\"", detail, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("a,b,c,d\n5.1,3.5,1.4,0.2\n")]
    [InlineData("d,c,b,a\n0.2,1.4,3.5,5.1\n")]
    [InlineData("sepal_length;sepal_width;petal_length;petal_width\n5.1;3.5;1.4;0.2\n6.7;3.0;5.2;2.3\n")]
    public async Task A_csv_body_to_a_model_without_feature_names_is_a_422_not_a_prediction_by_column_order(string csv)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "nameless-csv", ModelFiles.XgboostRegressor);

        var (status, problem) = await SendAsync(client, "api/models/nameless-csv/predict", csv, "text/csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.EndsWith("/missing-feature-names", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reordered_record_keys_never_get_another_prediction_from_a_model_without_feature_names()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "nameless-reordered", ModelFiles.XgboostRegressor);

        var inOrder = await SendAsync(client, "api/models/nameless-reordered/predict", """{"records":[{"a":5.1,"b":3.5,"c":1.4,"d":0.2}]}""", "application/json");
        var reordered = await SendAsync(client, "api/models/nameless-reordered/predict", """{"records":[{"b":3.5,"a":5.1,"d":0.2,"c":1.4}]}""", "application/json");

        // Old behaviour: both 200 with different predictions. Neither may be answered now.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, inOrder.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reordered.Status);
    }

    [Theory]
    [InlineData("""{"instances":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}""")]
    [InlineData("""{"inputs":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}""")]
    [InlineData("""{"records":[{"X":[5.1,3.5,1.4,0.2]},{"X":[6.7,3.0,5.2,2.3]}]}""")]
    [InlineData("""{"dataframe_split":{"columns":["X"],"data":[[[5.1,3.5,1.4,0.2]],[[6.7,3.0,5.2,2.3]]]}}""")]
    [InlineData("""{"inputs":{"X":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}}""")]
    public async Task Positional_forms_and_records_naming_the_input_still_score_a_model_without_feature_names(string body)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "nameless-positional", ModelFiles.XgboostRegressor);
        var expected = Direct(s_rows);

        var (status, answer) = await SendAsync(client, "api/models/nameless-positional/predict", body, "application/json");
        var (oipStatus, oip) = await SendAsync(client, "v2/models/nameless-positional/infer",
            JsonSerializer.Serialize(new { inputs = new[] { new { name = "X", shape = new[] { 2, 4 }, datatype = "FP32", data = s_rows.SelectMany(r => r) } } }), "application/json");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, oipStatus);
        for (var row = 0; row < 2; row++)
        {
            Assert.Equal(expected[row], answer.GetProperty("predictions")[row].GetSingle(), 5);
            Assert.Equal(expected[row], oip.GetProperty("outputs")[0].GetProperty("data")[row].GetSingle(), 5);
        }
    }

    [Theory]
    [InlineData("""["a","b","c"]""", "featureNames lists 3 name(s) but input 'X' takes 4 features per row")]
    [InlineData("""["a","b","c","d","e"]""", "featureNames lists 5 name(s) but input 'X' takes 4 features per row")]
    [InlineData("""["a"]""", "featureNames lists 1 name(s)")]
    [InlineData("""["a","b","a","c"]""", "featureNames lists 'a' more than once")]
    [InlineData("""["a","b","c","c","c"]""", "featureNames lists 'c' more than once")]
    public async Task Unusable_feature_names_are_a_422_at_registration_and_nothing_is_stored(string names, string detail)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var before = await StorageSnapshot.TakeAsync(app);

        var (status, problem) = await RegisterAsync(client, "bad-feature-names", ModelFiles.Bytes(ModelFiles.XgboostRegressor), $$"""{"featureNames": {{names}}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.EndsWith("/invalid-feature-names", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await StorageSnapshot.TakeAsync(app));
        using var version = await client.GetAsync(new Uri("api/models/bad-feature-names/versions/1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, version.StatusCode);
    }

    [Theory]
    [InlineData(13, null)]
    [InlineData(17, null)]
    [InlineData(13, """{"featureNames": ["a"]}""")]
    public async Task A_model_without_inputs_is_a_422_at_registration_and_nothing_is_stored(int opset, string? metadata)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var constant = new OnnxGraph(null, width: 1, opset).Node("Constant", string.Empty, "y", ("value_int", 7)).TensorOutput("y", OnnxGraph.Int64).ToBytes();
        var before = await StorageSnapshot.TakeAsync(app);

        var (status, problem) = await RegisterAsync(client, "no-inputs", constant, metadata);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("declares no inputs", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await StorageSnapshot.TakeAsync(app));
    }

    [Fact]
    public async Task Usable_feature_names_still_register_and_bind_by_name()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();

        var (status, _) = await RegisterAsync(client, "named-features", ModelFiles.Bytes(ModelFiles.XgboostRegressor), """{"featureNames": ["a","b","c","d"]}""");
        var (predicted, answer) = await SendAsync(client, "api/models/named-features/predict", """{"records":[{"d":0.2,"b":3.5,"c":1.4,"a":5.1}]}""", "application/json");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.OK, predicted);
        Assert.Equal(Direct(s_rows)[0], answer.GetProperty("predictions")[0].GetSingle(), 5);
    }

    private static float[] Direct(float[][] rows)
    {
        using var session = new InferenceSession(ModelFiles.Bytes(ModelFiles.XgboostRegressor));
        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor("X", new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), [rows.Length, 4]))]);
        return outputs.First().AsTensor<float>().ToArray();
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, string url, string body, string contentType)
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await client.PostAsync(new Uri(url, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(string.IsNullOrEmpty(text) ? "{}" : text).RootElement.Clone());
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> RegisterAsync(HttpClient client, string name, byte[] model, string? metadata)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(model), "file", "model.onnx" } };
        if (metadata is not null)
        {
            form.Add(new StringContent(metadata, Encoding.UTF8, "application/json"), "metadata");
        }

        using var response = await client.PostAsync(new Uri($"api/models/{name}/versions", UriKind.Relative), form);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
