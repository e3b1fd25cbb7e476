using System.Net;
using System.Text;
using System.Text.Json;
using Flywheel.Contracts.Errors;
using Flywheel.Serving.Records;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Serving;

/// <summary>
/// <c>text/csv</c> predict bodies: a header row of column names, then the rows. Cells are typed by
/// the input their column feeds, so the binder gets exactly what the same rows sent as JSON records
/// give it, and the answer is the same to the byte; extra columns follow <c>?extraColumns</c>; a line
/// that is not CSV is a 400 that says which.
/// </summary>
public sealed class CsvBodyTests
{
    // Quoted fields (one with a doubled quote in an extra column), CRLF, a missing age, columns in another order than the model's.
    private const string TitanicCsv = "embarked,sex,pclass,age,fare\r\n\"S\",\"female\",1,29,211.3\r\nQ,male,3,,7.25\r\n";

    public static TheoryData<string, string?, string, string> SameRows => new()
    {
        { ModelFiles.TitanicPipeline, null, TitanicCsv, ExtraColumnsTests.Titanic },
        // A feature matrix from the registered names, semicolons, NA for a missing value, 3.0 and 1e0 as numbers.
        { ModelFiles.IrisZipMap, "a,b,c,d", "d;c;b;a\n0.2;1.4;3.5;5.1\n2.3;NA;3.0;1e0\n", """{"records":[{"a":5.1,"b":3.5,"c":1.4,"d":0.2},{"a":1e0,"b":3.0,"c":null,"d":2.3}]}""" },
        { ModelFiles.XgboostRegressor, "a,b,c,d", "a,b,c,d\n5.1,3.5,1.4,0.2\n", """{"records":[{"a":5.1,"b":3.5,"c":1.4,"d":0.2}]}""" },
        // A string input's cells stay strings, digits or not (the model takes exactly five rows).
        { ModelFiles.LabelEncoder, null, "X\n\"007\"\n42\n1e3\n\"a, \"\"b\"\"\"\né\n", """{"records":[{"X":"007"},{"X":"42"},{"X":"1e3"},{"X":"a, \"b\""},{"X":"é"}]}""" },
    };

    [Theory]
    [MemberData(nameof(SameRows))]
    public async Task A_csv_body_binds_the_tensors_of_the_same_rows_sent_as_json_records(string modelFile, string? features, string csv, string json)
    {
        using var model = LoadedModels.Load(modelFile, features?.Split(','));
        var body = await CsvBody.ReadAsync(Encoding.UTF8.GetBytes(csv), CancellationToken.None);
        using var records = body.ToRecords(model.Inputs);
        using var document = JsonDocument.Parse(json);

        using var fromCsv = new InputBinder(model.Inputs, RecordBatch.Parse(records.RootElement)).Bind(0, body.Rows.Count);
        using var fromJson = new InputBinder(model.Inputs, RecordBatch.Parse(document.RootElement)).Bind(0, body.Rows.Count);

        Assert.Equal(fromJson.Names, fromCsv.Names);
        for (var i = 0; i < fromJson.Count; i++)
        {
            LoadedModels.AssertSameTensor(fromJson.Values[i], fromCsv.Values[i]);
        }
    }

    [Fact]
    public async Task Predict_answers_a_csv_body_as_it_answers_the_same_rows_as_json_records()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "csv-titanic", ModelFiles.TitanicPipeline);

        var json = await ExtraColumnsTests.PostAsync(client, "api/models/csv-titanic/predict", ExtraColumnsTests.Titanic);
        var csv = await ExtraColumnsTests.PostAsync(client, "api/models/csv-titanic/predict", TitanicCsv, "text/csv");
        var pinned = await ExtraColumnsTests.PostAsync(client, "api/models/csv-titanic/versions/1/predict", TitanicCsv, "text/csv");

        Assert.Equal(HttpStatusCode.OK, json.Status);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (csv.Status, pinned.Status));
        Assert.Equal(json.Body.GetRawText(), csv.Body.GetRawText());
        Assert.Equal(json.Body.GetRawText(), pinned.Body.GetRawText());
    }

    [Fact]
    public async Task A_csv_body_with_the_label_and_an_id_is_refused_naming_them_unless_the_query_says_ignore()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "csv-extra", ModelFiles.TitanicPipeline);
        const string InHand = "passenger_id,pclass,sex,age,fare,embarked,survived\n\"A, 1\",1,female,29,211.3,S,1\nB-2,3,male,,7.25,Q,0\n";

        var plain = await ExtraColumnsTests.PostAsync(client, "api/models/csv-extra/predict", TitanicCsv, "text/csv");
        var refused = await ExtraColumnsTests.PostAsync(client, "api/models/csv-extra/predict", InHand, "text/csv");
        var ignored = await ExtraColumnsTests.PostAsync(client, "api/models/csv-extra/predict?extraColumns=ignore", InHand, "Text/CSV");
        var missing = await ExtraColumnsTests.PostAsync(client, "api/models/csv-extra/predict?extraColumns=ignore", "pclass,sex,age,fare,survived\n1,female,29,211.3,1\n", "text/csv");

        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (refused.Status, refused.ContentType));
        Assert.StartsWith("Unknown column(s) 'passenger_id', 'survived'", refused.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("?extraColumns=ignore", refused.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ignored.Status);
        Assert.Equal(("2", "passenger_id, survived"), (ignored.IgnoredCount, ignored.IgnoredNames));
        Assert.Equal(plain.Body.GetProperty("predictions").GetRawText(), ignored.Body.GetProperty("predictions").GetRawText());
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.StartsWith("Missing column(s) 'embarked'", missing.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadCsv => new()
    {
        { "pclass,sex,age,fare,embarked\n1,female,29,211.3,S\n3,male,\"22,7.25,Q\n", "The CSV body cannot be read at line 3: A quoted field opened here is never closed." },
        { "pclass,sex,age,fare,embarked\n1,female,29,211.3,S\n\n3,male,22,7.25\n", "The CSV body cannot be read at line 4: it has 4 field(s); the header has 5." },
        { "pclass,sex,age,fare,embarked\n", "The CSV body has a header but no rows: send one row per prediction after it." },
        { "", "The CSV body is empty: send a header row of column names, then one row per prediction." },
        { "pclass,sex,,fare,embarked\n1,female,29,211.3,S\n", "The CSV body's header (line 1) leaves column 3 without a name: the first row names the columns." },
        { "pclass,sex,age,sex,embarked\n1,female,29,male,S\n", "The CSV body's header (line 1) names column 'sex' twice." },
    };

    [Theory]
    [MemberData(nameof(BadCsv))]
    public async Task A_body_that_is_not_csv_is_refused_saying_the_line(string csv, string message)
    {
        var error = await Assert.ThrowsAsync<FlywheelException>(() => CsvBody.ReadAsync(Encoding.UTF8.GetBytes(csv), CancellationToken.None));

        Assert.Equal((ErrorKind.InvalidInput, "invalid-csv", message), (error.Kind, error.Code, error.Message));
    }

    [Fact]
    public async Task Predict_answers_bad_csv_and_cells_of_the_wrong_type_with_a_400_problem()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await ModelFiles.RegisterAsync(client, "csv-bad", ModelFiles.TitanicPipeline);

        var ragged = await ExtraColumnsTests.PostAsync(client, "api/models/csv-bad/predict", "pclass,sex,age,fare,embarked\n1,female,29,211.3\n", "text/csv");
        var binary = await ExtraColumnsTests.PostAsync(client, "api/models/csv-bad/predict", "pclass\n1\0\n", "text/csv");
        var wrongType = await ExtraColumnsTests.PostAsync(client, "api/models/csv-bad/predict", "pclass,sex,age,fare,embarked\nfirst,female,29,211.3,S\n", "text/csv");

        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (ragged.Status, ragged.ContentType));
        Assert.EndsWith("/invalid-csv", ragged.Body.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("The CSV body cannot be read at line 2: it has 4 field(s); the header has 5.", ragged.Body.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, binary.Status);
        Assert.Contains("line 1", binary.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.Status);
        Assert.Equal("column 'pclass' (int64): expected an integer (int64), got string \"first\".", wrongType.Body.GetProperty("detail").GetString());
    }
}
