using Flywheel.Contracts.Registry;
using Flywheel.Onnx;
using Flywheel.Serving.Runtime;
using Flywheel.Tests.Registry;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flywheel.Tests.Serving;

/// <summary>Models from the shared test data loaded as the session cache loads them (ZipMap bypass included), without storage.</summary>
internal static class LoadedModels
{
    public static void AssertSameTensor(OrtValue expected, OrtValue actual)
    {
        var expectedInfo = expected.GetTensorTypeAndShape();
        var actualInfo = actual.GetTensorTypeAndShape();
        Assert.Equal(expectedInfo.ElementDataType, actualInfo.ElementDataType);
        Assert.Equal(expectedInfo.Shape, actualInfo.Shape);
        if (expectedInfo.ElementDataType == TensorElementType.String)
        {
            Assert.Equal(expected.GetStringTensorAsArray(), actual.GetStringTensorAsArray());
            return;
        }

        // Bit for bit, NaN included.
        Assert.Equal(expected.GetTensorDataAsSpan<byte>().ToArray(), actual.GetTensorDataAsSpan<byte>().ToArray());
    }

    public static LoadedModel Load(string modelFile, IReadOnlyList<string>? featureNames) => Load(ModelFiles.Bytes(modelFile), featureNames);

    public static LoadedModel Load(byte[] bytes, IReadOnlyList<string>? featureNames)
    {
        var (runnable, zipMaps) = ZipMapBypass.Apply(bytes);
        var version = new ModelVersion
        {
            Model = "m", Version = 1, Sha256 = "test", SizeBytes = bytes.Length, Created = DateTimeOffset.UnixEpoch, ContentPath = "test",
            Signature = OnnxModelInspector.Inspect(bytes), FeatureNames = featureNames,
        };
        return new LoadedModel(version, new InferenceSession(runnable), bytes.Length, zipMaps);
    }
}
