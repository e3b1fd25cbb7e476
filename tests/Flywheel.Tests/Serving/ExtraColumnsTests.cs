using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Api.Serving;
using Flywheel.Contracts.Errors;
using Flywheel.Serving;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Records;
using Flywheel.Serving.Runtime;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Serving;

/// <summary>
/// Records that carry columns the model does not take (the label, an id): refused by default, naming
/// them and the way to leave them out; with <c>extraColumns: ignore</c> (in the body or the query)
/// left out, counted and named in headers, and answered as the rows without them, which the fast path
/// reads (rows with extra columns it leaves to the general path). The log and the shadow see the rows
/// without them. A column the model names is never left out, and nothing binds by position.
/// </summary>
public sealed class ExtraColumnsTests
{
    internal const string Titanic = """{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S"},{"pclass":3,"sex":"male","age":null,"fare":7.25,"embarked":"Q"}]}""";
    private const string TitanicInHand = """{"records":[{"passenger_id":"A-1","pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S","survived":1},{"pclass":3,"survived":0,"sex":"male","age":null,"fare":7.25,"embarked":"Q","passenger_id":"B-2"}]}""";
    private const string TitanicInHandIgnored = """{"extraColumns":"ignore","records":[{"passenger_id":"A-1","pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S","survived":1},{"pclass":3,"survived":0,"sex":"male","age":null,"fare":7.25,"embarked":"Q","passenger_id":"B-2"}]}""";
    private const string TitanicUnknown = "Unknown column(s) 'passenger_id', 'survived'; the model takes: pclass, sex, age, fare, embarked."
        + " To leave them out, send \"extraColumns\": \"ignore\" beside the rows (or ?extraColumns=ignore, which a CSV body needs).";

    public static TheoryData<string, string?, string, string, string[]> InHand => new()
    {
        // One input per column (skl2onnx pipeline).
        { ModelFiles.TitanicPipeline, null, TitanicInHand, Titanic, ["passenger_id", "survived"] },
        // One feature matrix in the registered order: a label before the features, an id among them.
        { ModelFiles.IrisZipMap, "a,b,c,d", """{"records":[{"label":"setosa","a":5.1,"b":3.5,"id":7,"c":1.4,"d":0.2},{"d":2.3,"c":5.2,"b":3.0,"a":6.7,"label":"virginica","id":8}]}""", """{"records":[{"a":5.1,"b":3.5,"c":1.4,"d":0.2},{"a":6.7,"b":3.0,"c":5.2,"d":2.3}]}""", ["label", "id"] },
        // The model's one input named, beside the label.
        { ModelFiles.IrisZipMap, null, """{"records":[{"float_input":[5.1,3.5,1.4,0.2],"label":0}]}""", """{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]}""", ["label"] },
        // MLflow's shapes that bind by name.
        { ModelFiles.TitanicPipeline, null, """{"dataframe_split":{"columns":["id","pclass","sex","age","fare","embarked"],"data":[["x",1,"female",29,211.3,"S"]]}}""", """{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S"}]}""", ["id"] },
        { ModelFiles.XgboostRegressor, "a,b,c,d", """{"dataframe_records":[{"d":0.2,"c":1.4,"b":3.5,"a":5.1,"y":2.5}]}""", """{"records":[{"a":5.1,"b":3.5,"c":1.4,"d":0.2}]}""", ["y"] },
        { ModelFiles.TitanicPipeline, null, """{"inputs":{"pclass":[1],"sex":["female"],"age":[29],"fare":[211.3],"embarked":["S"],"ticket":["PC 17599"]}}""", """{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S"}]}""", ["ticket"] },
    };

    [Theory]
    [MemberData(nameof(InHand))]
    public void Ignored_columns_leave_the_tensors_and_answers_of_the_rows_without_them_which_the_fast_path_reads(string modelFile, string? features, string inHand, string plain, string[] ignored)
    {
        using var model = LoadedModels.Load(modelFile, features?.Split(','));
        using var document = JsonDocument.Parse(inHand);
        var batch = RecordBatch.Parse(document.RootElement);

        var binder = new InputBinder(model.Inputs, batch, ExtraColumns.Ignore);
        using var general = binder.Bind(0, batch.Count);
        using var leftToGeneral = model.Inputs.Records!.TryRead(Encoding.UTF8.GetBytes(inHand), out _);
        using var fast = model.Inputs.Records!.TryRead(Encoding.UTF8.GetBytes(plain), out var rows);

        Assert.Equal(ignored, binder.Ignored);
        Assert.Null(leftToGeneral);
        Assert.NotNull(fast);
        Assert.Equal(batch.Count, rows);
        Assert.Equal(general.Names, fast.Names);
        for (var i = 0; i < general.Count; i++)
        {
            LoadedModels.AssertSameTensor(general.Values[i], fast.Values[i]);
        }

        Assert.Equal(
            Encoding.UTF8.GetString(PredictionsJsonConverter.ToUtf8(OutputShaper.Shape(Predictor.Run(model, fast), rows))),
            Encoding.UTF8.GetString(PredictionsJsonConverter.ToUtf8(OutputShaper.Shape(Predictor.Run(model, general), batch.Count))));
    }

    [Fact]
    public void Extra_columns_are_refused_by_default_naming_them_and_the_way_to_leave_them_out()
    {
        using var model = LoadedModels.Load(ModelFiles.TitanicPipeline, null);
        using var document = JsonDocument.Parse(TitanicInHand);

        var error = Assert.Throws<PredictionInputException>(() => new InputBinder(model.Inputs, RecordBatch.Parse(document.RootElement)));

        Assert.Equal(TitanicUnknown, error.Message);
    }

    public static TheoryData<string, string?, string, string> Named => new()
    {
        // A column named in another case is extra; the one the model takes is then missing, and the message says which was left out.
        { ModelFiles.TitanicPipeline, null, """{"records":[{"pclass":1,"sex":"female","Age":29,"fare":211.3,"embarked":"S"}]}""", "Missing column(s) 'age'; the model takes: pclass, sex, age, fare, embarked. Left out as extra: 'Age'." },
        // Rows that name the input bind per column: a registered feature beside it is the model's, not extra.
        { ModelFiles.IrisZipMap, "a,b,c,d", """{"records":[{"float_input":[5.1,3.5,1.4,0.2],"a":5.1,"id":1}]}""", "Unknown column(s) 'a'; the model takes: float_input." },
        // Without feature names nothing says which columns are extra: never guess by position.
        { ModelFiles.IrisZipMap, null, """{"records":[{"a":5.1,"b":3.5,"c":1.4,"d":0.2,"label":0}]}""", "Input 'float_input' takes one [?, 4] matrix and this version has no registered feature names, so the columns 'a', 'b', 'c', 'd', 'label' cannot be matched to its positions (nor which are extra, so extraColumns=ignore leaves none out): register the version with its feature names in the input's order (the multipart part metadata={\"featureNames\": [\"...\", ...]}), name the input itself ({\"float_input\": [...]} per record), or send rows by position (\"instances\" or \"inputs\" arrays, or the Open Inference Protocol)." },
    };

    [Theory]
    [MemberData(nameof(Named))]
    public void A_column_the_model_names_is_never_ignored_and_nothing_binds_by_position(string modelFile, string? features, string body, string message)
    {
        using var model = LoadedModels.Load(modelFile, features?.Split(','));
        using var document = JsonDocument.Parse(body);

        var error = Assert.ThrowsAny<FlywheelException>(() => new InputBinder(model.Inputs, RecordBatch.Parse(document.RootElement), ExtraColumns.Ignore));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_ignored_column_names_header_lists_the_first_names_percent_encoded()
    {
        Assert.Equal("survived, passenger_id", PredictionHandlers.IgnoredColumnNames(["survived", "passenger_id"]));
        Assert.Equal("home.dest, a%2C%20b%C3%A9", PredictionHandlers.IgnoredColumnNames(["home.dest", "a, bé"]));
        var many = Enumerable.Range(0, 30).Select(i => $"c{i}").ToList();
        Assert.Equal(string.Join(", ", many.Take(20)) + ", ...", PredictionHandlers.IgnoredColumnNames(many));
        Assert.Equal(new string('x', 600) + ", ...", PredictionHandlers.IgnoredColumnNames([new string('x', 600), new string('y', 600)]));
        Assert.Equal("...", PredictionHandlers.IgnoredColumnNames([new string('z', 2000)]));
    }

    [Fact]
    public async Task Predict_ignores_extra_columns_when_the_body_or_query_asks_and_says_which_in_headers()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "xc-titanic", ModelFiles.TitanicPipeline);

        var plain = await PostAsync(client, "api/models/xc-titanic/predict", Titanic);
        var refused = await PostAsync(client, "api/models/xc-titanic/predict", TitanicInHand);
        var refusedExplicitly = await PostAsync(client, "api/models/xc-titanic/predict?extraColumns=reject", TitanicInHand);
        var byBody = await PostAsync(client, "api/models/xc-titanic/predict", TitanicInHandIgnored);
        var byQuery = await PostAsync(client, "api/models/xc-titanic/predict?extraColumns=ignore", TitanicInHand);
        var pinned = await PostAsync(client, "api/models/xc-titanic/versions/1/predict?extraColumns=Ignore", TitanicInHand);
        var bothAlike = await PostAsync(client, "api/models/xc-titanic/predict?extraColumns=ignore", TitanicInHandIgnored);
        var exact = await PostAsync(client, "api/models/xc-titanic/predict?extraColumns=ignore", Titanic);

        Assert.Equal(HttpStatusCode.OK, plain.Status);
        foreach (var refusal in new[] { refused, refusedExplicitly })
        {
            Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (refusal.Status, refusal.ContentType));
            Assert.Equal(TitanicUnknown, refusal.Body.GetProperty("detail").GetString());
        }

        foreach (var answer in new[] { byBody, byQuery, pinned, bothAlike })
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(("2", "passenger_id, survived"), (answer.IgnoredCount, answer.IgnoredNames));
            Assert.Equal(plain.Body.GetProperty("predictions").GetRawText(), answer.Body.GetProperty("predictions").GetRawText());
        }

        Assert.Equal((HttpStatusCode.OK, null, null), (exact.Status, exact.IgnoredCount, exact.IgnoredNames));
        Assert.Equal(plain.Body.GetProperty("predictions").GetRawText(), exact.Body.GetProperty("predictions").GetRawText());
    }

    [Theory]
    [InlineData("?extraColumns=drop", """{"records":[{"pclass":1}]}""", "/invalid-query", "extraColumns must be reject (the default")]
    [InlineData("", """{"extraColumns":"drop","records":[{"pclass":1}]}""", "/invalid-input", "'extraColumns' must be reject (the default")]
    [InlineData("", """{"extraColumns":true,"records":[{"pclass":1}]}""", "/invalid-input", "it is true.")]
    [InlineData("?extraColumns=reject", """{"extraColumns":"ignore","records":[{"pclass":1}]}""", "/invalid-input", "extraColumns is reject in the query but ignore in the body: send it one way.")]
    [InlineData("", """{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S","survived":1}],"extraColumns":"reject"}""", "/invalid-input", "Unknown column(s) 'survived'")]
    public async Task A_setting_that_is_not_reject_or_ignore_or_contradicts_itself_is_a_400(string query, string body, string type, string detail)
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "xc-bad", ModelFiles.TitanicPipeline);

        var answer = await PostAsync(client, "api/models/xc-bad/predict" + query, body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.EndsWith(type, answer.Body.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains(detail, answer.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_and_the_shadow_see_the_rows_without_the_ignored_columns()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:Serving:PredictionLogFlushInterval"] = "00:00:00.300" });
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "xc-shadow", ModelFiles.TitanicPipeline);
        // The same graph as new bytes (an empty graph field appended merges into the first): a second version that scores alike.
        await ModelFiles.RegisterAsync(client, "xc-shadow", [.. ModelFiles.Bytes(ModelFiles.TitanicPipeline), 0x3A, 0x00]);
        using var deployment = new StringContent("""{"routes":[{"version":1,"weight":100}],"shadow":{"version":2,"sample":1.0}}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync(new Uri("api/models/xc-shadow/deployment", UriKind.Relative), deployment)).StatusCode);

        var answer = await PostAsync(client, "api/models/xc-shadow/predict", TitanicInHandIgnored);
        var log = await ServingApiTests.WaitForLogAsync(app.Storage, "xc-shadow", records => records.Count >= 2);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var primary = Assert.Single(log, r => !r.GetProperty("shadow").GetBoolean());
        var shadow = Assert.Single(log, r => r.GetProperty("shadow").GetBoolean());
        using var expected = JsonDocument.Parse(Titanic);
        foreach (var entry in new[] { primary, shadow })
        {
            Assert.Equal(expected.RootElement.GetRawText(), entry.GetProperty("inputs").GetRawText());
        }

        Assert.Equal(2, shadow.GetProperty("version").GetInt32());
        Assert.True(shadow.GetProperty("agreesWithPrimary").GetBoolean());
    }

    internal static async Task<Answer> PostAsync(HttpClient client, string url, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await client.PostAsync(new Uri(url, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response.Content.Headers.ContentType?.MediaType,
            response.Headers.TryGetValues(PredictionHandlers.IgnoredColumnsHeader, out var count) ? count.Single() : null,
            response.Headers.TryGetValues(PredictionHandlers.IgnoredColumnNamesHeader, out var names) ? names.Single() : null);
    }

    internal sealed record Answer(HttpStatusCode Status, JsonElement Body, string? ContentType, string? IgnoredCount, string? IgnoredNames);
}
