using System.Text;
using System.Text.Json;
using Flywheel.Serving.Records;
using Flywheel.Serving.Tensors;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Serving;

/// <summary>
/// The Open Inference Protocol fast path (<see cref="TensorRequestReader"/>) against the general
/// path (<see cref="TensorRequest"/> and <see cref="TensorFactory"/>): the same tensors bit for bit,
/// rows, id and outputs; and every request it does not read is left to the general path.
/// </summary>
public sealed class TensorRequestReaderTests
{
    private const string Iris = """{"name":"float_input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}""";

    public static TheoryData<string, string> ReadBodies => new()
    {
        { ModelFiles.IrisZipMap, $$"""{"inputs":[{{Iris}}]}""" },
        { ModelFiles.IrisZipMap, $$"""{"id":"abc-1","inputs":[{{Iris}}],"outputs":[{"name":"output_label"}]}""" },
        { ModelFiles.IrisZipMap, """{ "inputs" : [ { "name" : "float_input", "datatype" : "FP32", "shape" : [3, 4], "data" : [5.1, 3.5, 1.4, 0.2, 6, 2.2, null, 1.5, 1e-3, -1, 3e10, 0] } ], "id": null }""" },
        { ModelFiles.IrisZipMap, """{"inputs":[{"name":"float_input","shape":[0,4],"datatype":"FP32","data":[]}]}""" },
        { ModelFiles.TitanicPipeline, """{"inputs":[{"name":"pclass","shape":[1,1],"datatype":"INT64","data":[1]},{"name":"sex","shape":[1,1],"datatype":"BYTES","data":["female"]},{"name":"age","shape":[1,1],"datatype":"FP32","data":[29]},{"name":"fare","shape":[1,1],"datatype":"FP32","data":[211.3]},{"name":"embarked","shape":[1,1],"datatype":"BYTES","data":["S"]}],"id":"not a valid id!"}""" },
        { ModelFiles.TitanicPipeline, """{"inputs":[{"name":"embarked","shape":[2,1],"datatype":"BYTES","data":["C","\u00e9"]},{"name":"fare","shape":[2,1],"datatype":"FP32","data":[7.25,null]},{"name":"age","shape":[2,1],"datatype":"FP32","data":[1,2]},{"name":"sex","datatype":"BYTES","shape":[2,1],"data":["male",""]},{"name":"pclass","shape":[2,1],"datatype":"INT64","data":[3.0,2]}]}""" },
        { ModelFiles.XgboostRegressor, """{"inputs":[{"name":"X","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,0.5,-1.25,3e10,4]}]}""" },
        { ModelFiles.LabelEncoder, """{"inputs":[{"name":"X","shape":[5],"datatype":"BYTES","data":["a","b","c","zz","\u00e9"]}]}""" },
    };

    [Theory]
    [MemberData(nameof(ReadBodies))]
    public void The_usual_request_binds_the_same_tensors_as_the_general_path(string modelFile, string body)
    {
        using var model = LoadedModels.Load(modelFile, null);
        var reader = model.Tensors;
        Assert.NotNull(reader);

        using var fast = reader.TryRead(Encoding.UTF8.GetBytes(body), out var rows, out var id, out var outputs);
        using var document = JsonDocument.Parse(body);
        var general = TensorRequest.Parse(document.RootElement);

        Assert.NotNull(fast);
        Assert.Equal(general.Id, id);
        Assert.Equal(general.Outputs, outputs);
        Assert.Equal((int)general.Inputs[0].Shape.FirstOrDefault(1), rows);
        Assert.Equal(general.Inputs.Select(i => i.Name), fast.Names);
        for (var i = 0; i < general.Inputs.Count; i++)
        {
            var input = general.Inputs[i];
            using var expected = TensorFactory.Create(input.Name, model.Inputs.Specs[input.Name].ElementType!, input.Data, [.. input.Shape], input.Name);
            LoadedModels.AssertSameTensor(expected, fast.Values[i]);
        }
    }

    public static TheoryData<string, string> GeneralBodies => new()
    {
        { ModelFiles.IrisZipMap, """{"inputs":[]}""" },
        { ModelFiles.IrisZipMap, """{"instances":[[5.1,3.5,1.4,0.2]]}""" },
        { ModelFiles.IrisZipMap, $$"""{"inputs":[{{Iris}},{{Iris}}]}""" },
        { ModelFiles.IrisZipMap, """{"inputs":[""" + Iris + """],"parameters":{}}""" },
        { ModelFiles.IrisZipMap, $$"""{"inputs":[{{Iris}}],"id":7}""" },
        { ModelFiles.IrisZipMap, $$"""{"inputs":[{{Iris}}],"outputs":[{"name":"nope"}]}""" },
        { ModelFiles.IrisZipMap, $$"""{"inputs":[{{Iris}}]} x""" },
        { ModelFiles.IrisZipMap, """{"inputs":[{"shape":[1,4],"name":"float_input","datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}""" },
        { ModelFiles.IrisZipMap, """{"inputs":[{"name":"float_input","data":[5.1,3.5,1.4,0.2],"shape":[1,4],"datatype":"FP32"}]}""" },
        { ModelFiles.IrisZipMap, """{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP64","data":[5.1,3.5,1.4,0.2]}]}""" },
        { ModelFiles.IrisZipMap, """{"inputs":[{"name":"float_input","shape":[1,3],"datatype":"FP32","data":[5.1,3.5,1.4]}]}""" },
        { ModelFiles.IrisZipMap, """{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4]}]}""" },
        { ModelFiles.IrisZipMap, """{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP32","data":[[5.1,3.5,1.4,0.2]]}]}""" },
        { ModelFiles.IrisZipMap, """{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,"0.2"]}]}""" },
        { ModelFiles.IrisZipMap, """{"inputs":[{"name":"float_input","shape":[-1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}""" },
        { ModelFiles.IrisZipMap, """{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2],"parameters":{}}]}""" },
        { ModelFiles.TitanicPipeline, """{"inputs":[{"name":"pclass","shape":[1,1],"datatype":"INT64","data":[1]}]}""" },
        { ModelFiles.TitanicPipeline, """{"inputs":[{"name":"pclass","shape":[1,1],"datatype":"INT64","data":[1.5]},{"name":"sex","shape":[1,1],"datatype":"BYTES","data":["female"]},{"name":"age","shape":[1,1],"datatype":"FP32","data":[29]},{"name":"fare","shape":[1,1],"datatype":"FP32","data":[211.3]},{"name":"embarked","shape":[1,1],"datatype":"BYTES","data":["S"]}]}""" },
        { ModelFiles.LabelEncoder, """{"inputs":[{"name":"X","shape":[2],"datatype":"BYTES","data":["a","b"]}]}""" },
    };

    [Theory]
    [MemberData(nameof(GeneralBodies))]
    public void A_request_the_reader_does_not_read_is_left_to_the_general_path(string modelFile, string body)
    {
        using var model = LoadedModels.Load(modelFile, null);

        using var inputs = model.Tensors!.TryRead(Encoding.UTF8.GetBytes(body), out _, out _, out _);

        Assert.Null(inputs);
    }
}
