using Flywheel.Contracts.Registry;
using Flywheel.Onnx;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Records;
using Flywheel.Serving.Runtime;
using Flywheel.Tests.Registry;
using Microsoft.ML.OnnxRuntime;

namespace Flywheel.Tests.Serving;

public sealed class ZipMapBypassTests
{
    [Fact]
    public void A_zipmap_model_gives_the_same_maps_from_its_probability_tensor_as_from_its_sequence_of_maps()
    {
        var bytes = ModelFiles.Bytes(ModelFiles.IrisZipMap);
        var (rewritten, zipMaps) = ZipMapBypass.Apply(bytes);

        var zipMap = Assert.Single(zipMaps);
        Assert.Equal("output_probability", zipMap.Output);
        Assert.Equal(["0", "1", "2"], zipMap.Classes);
        using var plain = Load(bytes, []);
        using var bypassed = Load(rewritten, zipMaps);
        Assert.Equal(plain.OutputNames, bypassed.OutputNames);

        float[] rows = [5.1f, 3.5f, 1.4f, 0.2f, 6.3f, 2.5f, 4.9f, 1.5f, 7.7f, 3.0f, 6.1f, 2.3f];
        var viaMaps = Run(plain, rows);
        var viaTensor = Run(bypassed, rows);

        Assert.IsType<ClassShareRows>(viaTensor[1].Maps);
        Assert.Equal(viaMaps[0].Data, viaTensor[0].Data);
        Assert.Equal(
            viaMaps[1].Maps!.Select(m => m.Select(p => (p.Key, p.Value)).ToList()),
            viaTensor[1].Maps!.Select(m => m.Select(p => (p.Key, p.Value)).ToList()));
    }

    [Fact]
    public void A_model_without_zipmap_is_left_as_it_is()
    {
        var bytes = ModelFiles.Bytes(ModelFiles.TitanicPipeline);

        var (rewritten, zipMaps) = ZipMapBypass.Apply(bytes);

        Assert.Empty(zipMaps);
        Assert.Same(bytes, rewritten);
        Assert.Empty(ZipMapBypass.Apply([1, 2, 3]).Outputs);
    }

    private static LoadedModel Load(byte[] model, IReadOnlyList<ZipMapOutput> zipMaps)
    {
        var version = new ModelVersion
        {
            Model = "iris", Version = 1, Sha256 = "test", SizeBytes = model.Length, Created = DateTimeOffset.UnixEpoch, ContentPath = "test",
            Signature = OnnxModelInspector.Inspect(ModelFiles.Bytes(ModelFiles.IrisZipMap)),
        };
        return new LoadedModel(version, new InferenceSession(model), model.Length, zipMaps);
    }

    private static IReadOnlyList<OutputValue> Run(LoadedModel model, float[] rows)
    {
        using var inputs = ModelInputs.Build(i => i.Add("float_input", OrtValue.CreateTensorValueFromMemory(rows, [rows.Length / 4, 4])));
        return Predictor.Run(model, inputs);
    }
}
