using Google.Protobuf;

namespace Flywheel.Onnx;

/// <summary>
/// Sets who produced a model (ModelProto's <c>producer_name</c> and <c>producer_version</c>),
/// keeping every other byte. ML.NET's converter writes "ML.NET" and the constant version "0",
/// which would tell a reviewer reading the card nothing about the build that made the model.
/// </summary>
public static class OnnxProducer
{
    public static byte[] Stamp(byte[] model, string name, string version)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(version);
        using var result = new MemoryStream(model.Length + name.Length + version.Length + 8);
        using (var output = new CodedOutputStream(result, leaveOpen: true))
        {
            foreach (var field in OnnxWire.Fields(model).Where(f => f.Number is not (OnnxWire.ModelProducerName or OnnxWire.ModelProducerVersion)))
            {
                output.WriteRaw(result, model, field);
            }

            output.WriteString(OnnxWire.ModelProducerName, name);
            output.WriteString(OnnxWire.ModelProducerVersion, version);
        }

        return result.ToArray();
    }
}
