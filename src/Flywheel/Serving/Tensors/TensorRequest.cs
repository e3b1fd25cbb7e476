using System.Text.Json;
using Flywheel.Serving.Records;
using Flywheel.Serving.Routing;

namespace Flywheel.Serving.Tensors;

/// <summary>One named input tensor as the Open Inference Protocol sends it: shape, datatype and row-major data.</summary>
public sealed record TensorInput(string Name, IReadOnlyList<long> Shape, string Datatype, IReadOnlyList<JsonElement> Data);

/// <summary>An Open Inference Protocol infer request read from its document (the general path; <see cref="TensorRequestReader"/> is the fast one).</summary>
public static class TensorRequest
{
    /// <summary>The caller's id joins its feedback to the logged prediction when it is one Flywheel can store; otherwise Flywheel issues one.</summary>
    public static string RequestIdFor(string? id) => RequestId.IsValid(id) ? id! : RequestId.New();

    /// <summary>The request's id, inputs and the outputs asked for (null for all); a body of another shape is refused with what it must be.</summary>
    public static (string? Id, IReadOnlyList<TensorInput> Inputs, IReadOnlyList<string>? Outputs) Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inputs", out var inputsElement) || inputsElement.ValueKind != JsonValueKind.Array)
        {
            throw new PredictionInputException("The body must be {\"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}, ...]}.");
        }

        var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        var inputs = new List<TensorInput>();
        foreach (var input in inputsElement.EnumerateArray())
        {
            var name = Required(input, "name", JsonValueKind.String).GetString()!;
            var datatype = Required(input, "datatype", JsonValueKind.String).GetString()!;
            if (OipDatatypes.ElementType(datatype) is null)
            {
                throw new PredictionInputException($"Input '{name}': unknown datatype '{datatype}'; use one of {string.Join(", ", OipDatatypes.All)}.");
            }

            var shape = Required(input, "shape", JsonValueKind.Array).EnumerateArray()
                .Select(d => d.TryGetInt64(out var n) && n >= 0 ? n : throw new PredictionInputException($"Input '{name}': shape dimensions must be non-negative integers.")).ToList();
            var data = new List<JsonElement>();
            InputBinder.Flatten(Required(input, "data", JsonValueKind.Undefined), data);
            inputs.Add(new TensorInput(name, shape, datatype, data));
        }

        IReadOnlyList<string>? outputs = root.TryGetProperty("outputs", out var outputsElement) && outputsElement.ValueKind == JsonValueKind.Array
            ? [.. outputsElement.EnumerateArray().Select(o => Required(o, "name", JsonValueKind.String).GetString()!)]
            : null;
        return (id, inputs, outputs);
    }

    private static JsonElement Required(JsonElement element, string property, JsonValueKind kind)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(property, out var value) || (kind != JsonValueKind.Undefined && value.ValueKind != kind))
        {
            throw new PredictionInputException($"Every input and output needs '{property}'{(kind == JsonValueKind.Undefined ? string.Empty : $" ({kind.ToString().ToLowerInvariant()})")}.");
        }

        return value;
    }
}
