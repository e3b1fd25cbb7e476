using System.Text;
using System.Text.Json;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Records;
using Flywheel.Serving.Runtime;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Serving;

/// <summary>
/// The records fast path (<see cref="RecordReader"/> and <see cref="ShapedPredictions.WriteTo"/>)
/// against the general path (document, <see cref="RecordBatch"/>, <see cref="InputBinder"/>, the
/// prediction objects): the same tensors, bit for bit, and the same response bytes; and every body
/// it does not read is left to the general path.
/// </summary>
public sealed class RecordReaderTests
{
    public static TheoryData<string, string?, string> ReadBodies => new()
    {
        { ModelFiles.IrisZipMap, null, """{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]}""" },
        { ModelFiles.IrisZipMap, null, """{ "records" : [ {"float_input": [6.3, 2.5, 4.9, 1.5]}, {"float_input":[7.7,3,6.1,2.3]}, {"float_input":[1e-3,-0.5,null,12345678.9]} ] }""" },
        { ModelFiles.IrisZipMap, null, """{"records":[{"float_input":[5,3,1,0]},{"float_input":[4.9,3.0,1.4,0.2]},{"float_input":[6.0,2.2,5.0,1.5]},{"float_input":[5.9,3.0,5.1,1.8]},{"float_input":[0.1,0.1,0.1,0.1]}]}""" },
        { ModelFiles.TitanicPipeline, null, """{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S"}]}""" },
        { ModelFiles.TitanicPipeline, null, """{"records":[{"embarked":"C","fare":7.25,"age":null,"sex":"male","pclass":3.0},{"pclass":2,"sex":"female","age":4.5,"fare":0,"embarked":"Q"},{"\u0061ge":80,"pclass":1,"sex":"m\u00e4le","fare":1e2,"embarked":""}]}""" },
        { ModelFiles.XgboostRegressor, null, """{"records":[{"X":[1,2,3,4]},{"X":[0.5,-1.25,3e10,4]}]}""" },
        { ModelFiles.XgboostRegressor, "a,b,c,d", """{"records":[{"a":1,"b":2,"c":3,"d":4},{"d":4,"c":-3.5,"b":null,"a":0.1}]}""" },
        { ModelFiles.LabelEncoder, null, """{"records":[{"X":"a"},{"X":"b"},{"X":"c"},{"X":"zz"},{"X":"\u00e9"}]}""" },
    };

    [Theory]
    [MemberData(nameof(ReadBodies))]
    public void The_usual_body_binds_the_same_tensors_and_answers_the_same_bytes_as_the_general_path(string modelFile, string? features, string body)
    {
        using var model = LoadedModels.Load(modelFile, features?.Split(','));
        var reader = model.Inputs.Records;
        Assert.NotNull(reader);

        using var fast = reader.TryRead(Encoding.UTF8.GetBytes(body), out var rows);
        using var document = JsonDocument.Parse(body);
        var batch = RecordBatch.Parse(document.RootElement);
        using var general = new InputBinder(model.Inputs, batch).Bind(0, batch.Count);

        Assert.NotNull(fast);
        Assert.Equal(batch.Count, rows);
        Assert.Equal(general.Names, fast.Names);
        for (var i = 0; i < general.Count; i++)
        {
            LoadedModels.AssertSameTensor(general.Values[i], fast.Values[i]);
        }

        var direct = PredictionsJsonConverter.ToUtf8(OutputShaper.Shape(Predictor.Run(model, fast), rows));
        var objects = PredictionsJsonConverter.ToUtf8([.. OutputShaper.Objects(Predictor.Run(model, general), batch.Count)]);
        Assert.Equal(Encoding.UTF8.GetString(objects), Encoding.UTF8.GetString(direct));
    }

    public static TheoryData<string, string?, string> GeneralBodies => new()
    {
        { ModelFiles.IrisZipMap, null, """{"instances":[[5.1,3.5,1.4,0.2]]}""" },
        { ModelFiles.IrisZipMap, null, """{"records":[{"float_input":[5.1,3.5,1.4,0.2]}],"params":{}}""" },
        { ModelFiles.IrisZipMap, null, """{"records":[]}""" },
        { ModelFiles.IrisZipMap, null, """{"records":[{"float_input":[5.1,3.5,1.4]}]}""" },
        { ModelFiles.IrisZipMap, null, """{"records":[{"float_input":[[5.1,3.5],[1.4,0.2]]}]}""" },
        { ModelFiles.IrisZipMap, null, """{"records":[{"float_input":[5.1,3.5,1.4,"0.2"]}]}""" },
        { ModelFiles.IrisZipMap, null, """{"records":[{"float_input":[5.1,3.5,1.4,1e39]}]}""" },
        { ModelFiles.IrisZipMap, null, """{"records":[{"float_input":[5.1,3.5,1.4,0.2],"extra":1}]}""" },
        { ModelFiles.IrisZipMap, null, """{"records":[{"float_input":[5.1,3.5,1.4,0.2]}]} trailing""" },
        { ModelFiles.IrisZipMap, null, """{"records":[{"float_input":[5.1,3.5,1.4,0.2]},]}""" },
        { ModelFiles.IrisZipMap, null, """{"records":[{}]}""" },
        { ModelFiles.IrisZipMap, null, """{"records":[5]}""" },
        { ModelFiles.TitanicPipeline, null, """{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3}]}""" },
        { ModelFiles.TitanicPipeline, null, """{"records":[{"pclass":1,"sex":"female","age":29,"fare":211.3,"embarked":"S","sex":"male"}]}""" },
        { ModelFiles.TitanicPipeline, null, """{"records":[{"pclass":1.5,"sex":"female","age":29,"fare":211.3,"embarked":"S"}]}""" },
        { ModelFiles.TitanicPipeline, null, """{"records":[{"pclass":1,"sex":null,"age":29,"fare":211.3,"embarked":"S"}]}""" },
        { ModelFiles.TitanicPipeline, null, """{"records":[{"pclass":1,"sex":"\ud800","age":29,"fare":211.3,"embarked":"S"}]}""" },
        { ModelFiles.XgboostRegressor, "a,b,c,d", """{"records":[{"a":1,"b":2,"c":3}]}""" },
        { ModelFiles.XgboostRegressor, "a,b,c,d", """{"records":[{"a":1,"b":2,"c":3,"d":4,"X":[1,2,3,4]}]}""" },
        { ModelFiles.XgboostRegressor, null, """{"records":[{"a":1,"b":2,"c":3,"d":4}]}""" },
        { ModelFiles.LabelEncoder, null, """{"records":[{"X":"a"},{"X":"b"}]}""" },
    };

    [Theory]
    [MemberData(nameof(GeneralBodies))]
    public void A_body_the_reader_does_not_read_is_left_to_the_general_path(string modelFile, string? features, string body)
    {
        using var model = LoadedModels.Load(modelFile, features?.Split(','));

        using var inputs = model.Inputs.Records!.TryRead(Encoding.UTF8.GetBytes(body), out _);

        Assert.Null(inputs);
    }

    [Fact]
    public void A_body_that_is_not_UTF8_is_left_to_the_general_path()
    {
        using var model = LoadedModels.Load(ModelFiles.TitanicPipeline, null);
        byte[] body = [.. "{\"records\":[{\"pclass\":1,\"sex\":\""u8, 0xFF, .. "\",\"age\":29,\"fare\":211.3,\"embarked\":\"S\"}]}"u8];

        Assert.Null(model.Inputs.Records!.TryRead(body, out _));
    }

    [Fact]
    public void Every_output_shape_writes_the_same_bytes_directly_as_through_its_objects()
    {
        var nan = new OutputValue("variable", "float", [3, 1], new[] { 1.5f, float.NaN, float.PositiveInfinity }, null);
        var label = new OutputValue("output_label", "int64", [2], new[] { 1L, 0L }, null);
        var shares = new OutputValue("output_probability", "float", [2, 2], new[] { 0.25f, float.NaN, 1f, 0f }, null);
        var mapShares = new OutputValue("output_probability", "map", [2], null, new ClassShareRows(["a", "b"], [0.5, double.NaN, 1, 0]));
        var strings = new OutputValue("label", "string", [2], new[] { "x", "y" }, null);
        var wide = new OutputValue("scores", "double", [2, 2], new[] { 1.0, 2.0, double.NaN, 4.0 }, null);
        var whole = new OutputValue("temperature", "double", [], new[] { 0.5 }, null);
        IReadOnlyList<OutputValue>[] cases = [[nan], [label, shares], [label, mapShares], [strings], [wide], [wide, whole], [strings, label]];

        foreach (var outputs in cases)
        {
            var rows = (int)outputs[0].Rows;
            var direct = PredictionsJsonConverter.ToUtf8(OutputShaper.Shape(outputs, rows));
            var objects = PredictionsJsonConverter.ToUtf8([.. OutputShaper.Objects(outputs, rows)]);
            Assert.Equal(Encoding.UTF8.GetString(objects), Encoding.UTF8.GetString(direct));
        }
    }
}
