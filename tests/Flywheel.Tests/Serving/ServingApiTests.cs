using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Storage;
using Flywheel.Testing;
using Flywheel.Tests.Registry;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Tests.Serving;

public sealed class ServingApiTests
{
    internal static readonly float[][] s_iris = [[5.1f, 3.5f, 1.4f, 0.2f], [6.7f, 3.0f, 5.2f, 2.3f], [5.9f, 3.0f, 4.2f, 1.5f]];

    [Fact]
    public async Task Iris_zipmap_classifier_gives_label_and_probabilities_matching_onnx_runtime_in_both_protocols()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);
        using var session = new InferenceSession(ModelFiles.Bytes(ModelFiles.IrisZipMap));
        using var direct = session.Run([NamedOnnxValue.CreateFromTensor("float_input", new DenseTensor<float>(s_iris.SelectMany(r => r).ToArray(), [3, 4]))]);
        var labels = direct.First(o => o.Name == "output_label").AsTensor<long>().ToArray();
        var maps = direct.First(o => o.Name == "output_probability").AsEnumerable<DisposableNamedOnnxValue>().Select(m => m.AsDictionary<long, float>()).ToList();

        var (status, body, headers) = await PostAsync(client, "api/models/iris/predict", new { instances = s_iris });
        var (oipStatus, oip, _) = await PostAsync(client, "v2/models/iris/infer", new { id = "req-1", inputs = new[] { new { name = "float_input", shape = new[] { 3, 4 }, datatype = "FP32", data = s_iris } } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", headers.GetValues("X-Model-Version").Single());
        Assert.Equal("iris", body.GetProperty("model").GetProperty("name").GetString());
        for (var row = 0; row < 3; row++)
        {
            var prediction = body.GetProperty("predictions")[row];
            Assert.Equal(labels[row], prediction.GetProperty("label").GetInt64());
            foreach (var (cls, p) in maps[row])
            {
                Assert.Equal(p, prediction.GetProperty("probabilities").GetProperty(cls.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetSingle(), 5);
            }
        }

        Assert.Equal(HttpStatusCode.OK, oipStatus);
        Assert.Equal("req-1", oip.GetProperty("id").GetString());
        Assert.Equal("iris", oip.GetProperty("model_name").GetString());
        var label = oip.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "output_label");
        Assert.Equal("INT64", label.GetProperty("datatype").GetString());
        Assert.Equal([3L], label.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(labels, label.GetProperty("data").EnumerateArray().Select(d => d.GetInt64()));
    }

    [Fact]
    public async Task Titanic_pipeline_takes_one_column_per_input_with_null_as_missing_and_matches_onnx_runtime()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "titanic", ModelFiles.TitanicPipeline);
        using var session = new InferenceSession(ModelFiles.Bytes(ModelFiles.TitanicPipeline));
        using var direct = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("pclass", new DenseTensor<long>(new long[] { 1, 3 }, [2, 1])),
            NamedOnnxValue.CreateFromTensor("sex", new DenseTensor<string>(new[] { "female", "male" }, [2, 1])),
            NamedOnnxValue.CreateFromTensor("age", new DenseTensor<float>(new[] { 29f, float.NaN }, [2, 1])),
            NamedOnnxValue.CreateFromTensor("fare", new DenseTensor<float>(new[] { 211.3375f, 7.25f }, [2, 1])),
            NamedOnnxValue.CreateFromTensor("embarked", new DenseTensor<string>(new[] { "S", "Q" }, [2, 1])),
        ]);
        var probabilities = direct.First(o => o.Name == "probabilities").AsTensor<float>().ToArray();

        // dataframe_split, one of MLflow's scoring shapes.
        var (status, body, _) = await PostAsync(client, "api/models/titanic/predict", new
        {
            dataframe_split = new { columns = new[] { "pclass", "sex", "age", "fare", "embarked" }, data = new object?[][] { [1, "female", 29, 211.3375, "S"], [3, "male", null, 7.25, "Q"] } },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(probabilities[1], body.GetProperty("predictions")[0].GetProperty("probabilities").GetProperty("1").GetSingle(), 5);
        Assert.Equal(probabilities[2], body.GetProperty("predictions")[1].GetProperty("probabilities").GetProperty("0").GetSingle(), 5);
    }

    [Fact]
    public async Task Regressor_feature_matrix_follows_the_registered_feature_names()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(ModelFiles.Bytes(ModelFiles.XgboostRegressor)), "file", "model.onnx" },
            { new StringContent("""{"featureNames":["a","b","c","d"]}""", Encoding.UTF8, "application/json"), "metadata" },
        };
        (await client.PostAsync(new Uri("api/models/xgb/versions", UriKind.Relative), form)).EnsureSuccessStatusCode();
        using var session = new InferenceSession(ModelFiles.Bytes(ModelFiles.XgboostRegressor));
        using var direct = session.Run([NamedOnnxValue.CreateFromTensor("X", new DenseTensor<float>(new[] { 5.1f, 3.5f, 1.4f, 0.2f }, [1, 4]))]);
        var expected = direct.First().AsTensor<float>().ToArray()[0];

        // Columns arrive in another order; the registered feature names put them right.
        var (status, body, _) = await PostAsync(client, "api/models/xgb/predict", new { dataframe_records = new[] { new { d = 0.2, c = 1.4, b = 3.5, a = 5.1 } } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, body.GetProperty("predictions")[0].GetSingle(), 6);
    }

    [Fact]
    public async Task Legacy_fixed_batch_model_runs_row_by_row_and_matches_its_upstream_references()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "mnist", ModelFiles.CntkMnist);
        var references = Enumerable.Range(0, 3).Select(i => Reference(ModelFiles.CntkMnist, i)).ToList();

        var (status, body, _) = await PostAsync(client, "api/models/mnist/predict", new { instances = references.Select(r => r.Input).ToArray() });
        var (oipStatus, oip, _) = await PostAsync(client, "v2/models/mnist/versions/1/infer", new
        {
            inputs = new[] { new { name = "Input3", shape = new[] { 3, 1, 28, 28 }, datatype = "FP32", data = references.SelectMany(r => r.Input).ToArray() } },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, oipStatus);
        var oipData = oip.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal([3L, 10L], oip.GetProperty("outputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        for (var i = 0; i < 3; i++)
        {
            var predicted = body.GetProperty("predictions")[i].EnumerateArray().Select(v => v.GetDouble()).ToArray();
            for (var k = 0; k < 10; k++)
            {
                Assert.Equal(references[i].Output[k], predicted[k], 3);
                Assert.Equal(references[i].Output[k], oipData[(i * 10) + k], 3);
            }
        }
    }

    [Fact]
    public async Task String_label_encoder_matches_its_upstream_reference()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "letters", ModelFiles.LabelEncoder);

        var (status, body, _) = await PostAsync(client, "api/models/letters/predict", new { inputs = new { X = new[] { "a", "b", "d", "c", "g" } } });
        var (oipStatus, oip, _) = await PostAsync(client, "v2/models/letters/infer", new { inputs = new[] { new { name = "X", shape = new[] { 5 }, datatype = "BYTES", data = new[] { "a", "b", "d", "c", "g" } } } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([0L, 1L, 42L, 2L, 42L], body.GetProperty("predictions").EnumerateArray().Select(p => p.GetInt64()));
        Assert.Equal(HttpStatusCode.OK, oipStatus);
        Assert.Equal([0L, 1L, 42L, 2L, 42L], oip.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(p => p.GetInt64()));
    }

    [Fact]
    public async Task Cnn_with_a_named_dynamic_batch_matches_onnx_runtime_and_honours_requested_outputs()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "cnn", ModelFiles.PytorchCnn);
        var random = new Random(3);
        var pixels = Enumerable.Range(0, 2 * 3 * 32 * 32).Select(_ => (float)random.NextDouble()).ToArray();
        using var session = new InferenceSession(ModelFiles.Bytes(ModelFiles.PytorchCnn));
        using var direct = session.Run([NamedOnnxValue.CreateFromTensor("modelInput", new DenseTensor<float>(pixels, [2, 3, 32, 32]))]);
        var expected = direct.First().AsTensor<float>().ToArray();

        var (status, oip, _) = await PostAsync(client, "v2/models/cnn/infer", new
        {
            inputs = new[] { new { name = "modelInput", shape = new[] { 2, 3, 32, 32 }, datatype = "FP32", data = pixels } },
            outputs = new[] { new { name = "modelOutput" } },
        });
        var metadata = await GetJsonAsync(client, "v2/models/cnn");

        Assert.Equal(HttpStatusCode.OK, status);
        var data = oip.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(expected.Length, data.Length);
        for (var i = 0; i < data.Length; i++)
        {
            Assert.Equal(expected[i], data[i], 4);
        }

        Assert.Equal([-1L, 3L, 32L, 32L], metadata.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal("onnx_onnxv1", metadata.GetProperty("platform").GetString());
    }

    [Fact]
    public async Task Sequence_of_tensors_output_is_returned_row_by_row_and_as_bytes_in_the_open_inference_protocol()
    {
        var model = new OnnxGraph("x", width: 2, opset: 13)
            .Node("SplitToSequence", "x", "parts").Node("Identity", "x", "echo")
            .SequenceOutput("parts", OnnxGraph.Float).TensorOutput("echo", OnnxGraph.Float).ToBytes();
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "splitter", model);

        var (status, body, _) = await PostAsync(client, "api/models/splitter/predict", new { instances = new[] { new[] { 1f, 2f }, new[] { 3f, 4f } } });
        var (oipStatus, oip, _) = await PostAsync(client, "v2/models/splitter/infer", new
        {
            inputs = new[] { new { name = "x", shape = new[] { 2, 2 }, datatype = "FP32", data = new[] { 1f, 2f, 3f, 4f } } },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var second = body.GetProperty("predictions")[1];
        Assert.Equal("[[3,4]]", second.GetProperty("parts").GetRawText());
        Assert.Equal("[3,4]", second.GetProperty("echo").GetRawText());
        Assert.Equal(HttpStatusCode.OK, oipStatus);
        var parts = oip.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "parts");
        Assert.Equal("BYTES", parts.GetProperty("datatype").GetString());
        Assert.Equal("[2]", parts.GetProperty("shape").GetRawText());
        Assert.Equal(["[[1,2]]", "[[3,4]]"], parts.GetProperty("data").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task Optional_output_is_served_as_the_tensor_it_holds()
    {
        var model = new OnnxGraph("x", width: 2, opset: 15)
            .Node("Optional", "x", "maybe").Node("Identity", "x", "y")
            .OptionalOutput("maybe", OnnxGraph.Float).TensorOutput("y", OnnxGraph.Float).ToBytes();
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "optional", model);

        var (status, body, _) = await PostAsync(client, "api/models/optional/predict", new { instances = new[] { new[] { 1f, 2f } } });
        var (oipStatus, oip, _) = await PostAsync(client, "v2/models/optional/infer", new
        {
            inputs = new[] { new { name = "x", shape = new[] { 1, 2 }, datatype = "FP32", data = new[] { 1f, 2f } } },
            outputs = new[] { new { name = "maybe" } },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("[1,2]", body.GetProperty("predictions")[0].GetProperty("maybe").GetRawText());
        Assert.Equal(HttpStatusCode.OK, oipStatus);
        Assert.Equal("[1,2]", oip.GetProperty("outputs").EnumerateArray().Single().GetProperty("data").GetRawText());
    }

    [Theory]
    [InlineData("""{"records":[{"pclass":1,"sex":"female","age":29,"fare":7.0}]}""", "Missing column(s) 'embarked'")]
    [InlineData("""{"records":[{"pclass":1,"sex":"female","age":29,"fare":7.0,"embarked":"S","cabin":"B5"}]}""", "Unknown column(s) 'cabin'")]
    [InlineData("""{"records":[{"pclass":"first","sex":"female","age":29,"fare":7.0,"embarked":"S"}]}""", "column 'pclass' (int64): expected an integer (int64), got string \"first\"")]
    [InlineData("""{"records":[{"pclass":1.5,"sex":"female","age":29,"fare":7.0,"embarked":"S"}]}""", "column 'pclass'")]
    [InlineData("""{"records":[{"pclass":1,"sex":3,"age":29,"fare":7.0,"embarked":"S"}]}""", "column 'sex' (string): expected a string, got number 3")]
    [InlineData("""{"rows":[]}""", "exactly one of")]
    [InlineData("""{"records":[]}""", "no rows")]
    [InlineData("""[1,2]""", "JSON object")]
    [InlineData("""{"records":[{""", "not valid JSON")]
    public async Task Bad_record_input_is_a_400_naming_what_is_wrong(string body, string expected)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "titanic", ModelFiles.TitanicPipeline);

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("api/models/titanic/predict", UriKind.Relative), content);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"float_input","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""", "dimension 1 must be 4")]
    [InlineData("""{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP64","data":[1,2,3,4]}]}""", "expected datatype FP32, got FP64")]
    [InlineData("""{"inputs":[{"name":"float_input","shape":[2,4],"datatype":"FP32","data":[1,2,3,4]}]}""", "holds 8 element(s), but data has 4")]
    [InlineData("""{"inputs":[{"name":"other","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}""", "Unknown input 'other'")]
    [InlineData("""{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP33","data":[1,2,3,4]}]}""", "unknown datatype 'FP33'")]
    [InlineData("""{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP32","data":[1,2,"x",4]}]}""", "expected a number")]
    [InlineData("""{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"nope"}]}""", "Unknown output 'nope'")]
    public async Task Bad_oip_request_is_a_400_error_object(string body, string expected)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("v2/models/iris/infer", UriKind.Relative), content);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, error.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_model_or_version_is_404_in_both_protocols_and_health_endpoints_answer()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);

        var predict = await PostAsync(client, "api/models/ghost/predict", new { instances = s_iris });
        var pinned = await PostAsync(client, "api/models/iris/versions/9/predict", new { instances = s_iris });
        var infer = await PostAsync(client, "v2/models/ghost/infer", new { inputs = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.NotFound, predict.Status);
        Assert.Equal(HttpStatusCode.NotFound, pinned.Status);
        Assert.Equal(HttpStatusCode.NotFound, infer.Status);
        Assert.True(infer.Body.TryGetProperty("error", out _));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("v2/health/live", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("v2/health/ready", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("v2/models/iris/ready", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("v2/models/iris/versions/4/ready", UriKind.Relative))).StatusCode);
        Assert.Equal("flywheel", (await GetJsonAsync(client, "v2")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Request_over_the_size_limit_is_a_413()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Serving:MaxRequestBytes"] = "200" });
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "iris", ModelFiles.IrisZipMap);

        var (status, _, _) = await PostAsync(client, "api/models/iris/predict", new { instances = Enumerable.Repeat(s_iris[0], 50).ToArray() });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Fact]
    public async Task Predict_uses_the_champion_alias_before_the_latest_version_as_soon_as_it_is_set_on_this_instance()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "routed", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "routed", ModelFiles.XgboostRegressor);

        var latest = await PostAsync(client, "api/models/routed/predict", new { instances = s_iris });
        using var alias = new StringContent("""{"version":1}""", Encoding.UTF8, "application/json");
        await client.PutAsync(new Uri("api/models/routed/aliases/champion", UriKind.Relative), alias);
        var champion = await PostAsync(client, "api/models/routed/predict", new { instances = s_iris });

        Assert.Equal("2", latest.Headers.GetValues("X-Model-Version").Single());
        Assert.Equal("1", champion.Headers.GetValues("X-Model-Version").Single());
    }

    [Fact]
    public async Task Deployment_splits_by_weight_keeps_sticky_callers_and_logs_shadow_comparisons()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Serving:PredictionLogFlushInterval"] = "00:00:00.300" });
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "split", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "split", ModelFiles.XgboostRegressor);
        await ModelFiles.RegisterAsync(client, "split", ModelFiles.PytorchCnn);
        // Version 3 (a CNN) cannot score iris rows: the shadow failing must not touch the response.
        using var deployment = new StringContent("""{"routes":[{"version":1,"weight":80},{"version":2,"weight":20}],"shadow":{"version":2,"sample":1.0},"sticky":"X-User-Id","allowSignatureChange":true}""", Encoding.UTF8, "application/json");
        var put = await client.PutAsync(new Uri("api/models/split/deployment", UriKind.Relative), deployment);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var versions = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            versions.Add((await PostAsync(client, "api/models/split/predict", new { instances = new[] { s_iris[0] } })).Headers.GetValues("X-Model-Version").Single());
        }

        var sticky = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/models/split/predict") { Content = JsonContent(new { instances = new[] { s_iris[0] } }) };
            request.Headers.Add("X-User-Id", "user-17");
            using var response = await client.SendAsync(request);
            sticky.Add(response.Headers.GetValues("X-Model-Version").Single());
        }

        var status = await GetJsonAsync(client, "api/models/split/deployment");
        var archive = await client.DeleteAsync(new Uri("api/models/split/versions/2", UriKind.Relative));

        Assert.InRange(versions.Count(v => v == "1"), 130, 190);
        Assert.InRange(versions.Count(v => v == "2"), 10, 70);
        Assert.Single(sticky);
        Assert.Equal(versions.Count(v => v == "1") + (sticky.Single() == "1" ? 10 : 0), status.GetProperty("requests").GetProperty("1").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, archive.StatusCode);
        var log = await WaitForLogAsync(app.Storage, "split", records => records.Any(r => r.GetProperty("shadow").GetBoolean()));
        var shadowed = log.First(r => r.GetProperty("shadow").GetBoolean());
        Assert.Equal(2, shadowed.GetProperty("version").GetInt32());
        Assert.Equal(1, shadowed.GetProperty("primaryVersion").GetInt32());
        Assert.False(shadowed.GetProperty("agreesWithPrimary").GetBoolean());
    }

    [Fact]
    public async Task Invalid_deployment_is_refused()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "refusing", ModelFiles.IrisZipMap);

        using var negative = new StringContent("""{"routes":[{"version":1,"weight":-1}]}""", Encoding.UTF8, "application/json");
        using var unknown = new StringContent("""{"routes":[{"version":7,"weight":100}]}""", Encoding.UTF8, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync(new Uri("api/models/refusing/deployment", UriKind.Relative), negative)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync(new Uri("api/models/refusing/deployment", UriKind.Relative), unknown)).StatusCode);
    }

    [Fact]
    public async Task Predictions_are_logged_in_hourly_jsonl_batches_and_feedback_is_stored()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Serving:PredictionLogFlushInterval"] = "00:00:00.300" });
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "logged", ModelFiles.IrisZipMap);
        for (var i = 0; i < 5; i++)
        {
            await PostAsync(client, "api/models/logged/predict", new { instances = new[] { s_iris[i % 3] } });
        }

        var records = await WaitForLogAsync(app.Storage, "logged", r => r.Count >= 5);
        var requestId = records[0].GetProperty("requestId").GetString();
        var (feedbackStatus, _, _) = await PostAsync(client, "api/models/logged/feedback", new { requestId, actual = 0 });

        Assert.Equal(5, records.Count);
        Assert.All(records, r => Assert.Equal(1, r.GetProperty("version").GetInt32()));
        Assert.True(records[0].GetProperty("inputs").TryGetProperty("instances", out _));
        Assert.Equal(HttpStatusCode.Accepted, feedbackStatus);
        var container = app.Storage.Container(StorageNames.PredictionsContainer);
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "logged/", CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        Assert.Contains(names, n => System.Text.RegularExpressions.Regex.IsMatch(n, @"^logged/\d{4}/\d{2}/\d{2}/\d{2}/.+\.jsonl$"));
        Assert.Contains(names, n => n.StartsWith("logged/feedback/", StringComparison.Ordinal) && n.EndsWith($"{requestId}.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Predictions_keep_working_when_storage_goes_down()
    {
        await using var azurite = new AzuriteProcess();
        await azurite.StartAsync();
        await using var app = new FlywheelApp(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Flywheel:Serving:PredictionLogFlushInterval"] = "00:00:00.200",
            ["Flywheel:Storage:MaxRetries"] = "0",
            ["Flywheel:Storage:NetworkTimeout"] = "00:00:01",
        });
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "resilient", ModelFiles.IrisZipMap);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, "api/models/resilient/versions/1/predict", new { instances = s_iris })).Status);

        await azurite.StopAsync();
        var results = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            results.Add((await PostAsync(client, "api/models/resilient/versions/1/predict", new { instances = s_iris })).Status);
            await Task.Delay(50);
        }

        Assert.All(results, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task Sessions_evicted_under_a_tiny_memory_budget_reload_and_keep_answering()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Serving:SessionMemoryBudgetBytes"] = "1" });
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "first", ModelFiles.IrisZipMap);
        await ModelFiles.RegisterAsync(client, "second", ModelFiles.XgboostRegressor);

        // Each load evicts the other model's session; concurrent requests must never see a disposed one.
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            PostAsync(client, i % 2 == 0 ? "api/models/first/predict" : "api/models/second/predict", new { instances = new[] { s_iris[0] } })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(responses.Where((_, i) => i % 2 == 0), r => Assert.Equal(0, r.Body.GetProperty("predictions")[0].GetProperty("label").GetInt64()));
    }

    internal static async Task<List<JsonElement>> WaitForLogAsync(StorageClients storage, string model, Func<List<JsonElement>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var records = new List<JsonElement>();
            var container = storage.Container(StorageNames.PredictionsContainer);
            if (await container.ExistsAsync())
            {
                await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, model + "/", CancellationToken.None))
                {
                    if (!blob.Name.EndsWith(".jsonl", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var text = (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
                    records.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()));
                }
            }

            if (done(records))
            {
                return records;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the prediction log never showed what was expected ({records.Count} records)");
            await Task.Delay(200);
        }
    }

    private static (float[] Input, double[] Output) Reference(string model, int set)
    {
        var path = Path.Combine(Path.GetDirectoryName(ModelFiles.PathOf(model))!, $"test_data_set_{set}", "reference.json");
        var json = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        return ([.. json.GetProperty("inputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetSingle())],
            [.. json.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetDouble())]);
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    internal static async Task<(HttpStatusCode Status, JsonElement Body, System.Net.Http.Headers.HttpResponseHeaders Headers)> PostAsync(HttpClient client, string url, object body)
    {
        using var content = JsonContent(body);
        var response = await client.PostAsync(new Uri(url, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(string.IsNullOrEmpty(text) ? "{}" : text).RootElement.Clone(), response.Headers);
    }

    private static Task<JsonElement> GetJsonAsync(HttpClient client, string url) => Datasets.DatasetApiTests.GetJsonAsync(client, url);
}
