using System.Diagnostics;
using System.Text.Json;
using Flywheel.Contracts.Registry;
using Flywheel.Serving.Observation;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Records;
using Flywheel.Serving.Routing;
using Flywheel.Serving.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Flywheel.Serving.Runtime;

/// <summary>An answered infer request: the version that answered, its outputs, the request's own id and the id it is logged under.</summary>
public sealed record InferAnswer(int Version, IReadOnlyList<OutputValue> Outputs, string? Id, string RequestId);

/// <summary>
/// Tensor-in, tensor-out inference for the Open Inference Protocol. Every input is checked against
/// the signature (presence, datatype, rank, fixed dimensions, element count) before ONNX Runtime sees
/// it. A model with a fixed batch of 1 is run once per row and its outputs concatenated.
/// </summary>
public sealed class TensorInference(ModelSessionCache sessions, TargetResolver targets, ServedPredictions served, ServingStats stats, TimeProvider time, Random random)
{
    /// <param name="requestId">The id the prediction log and feedback join on.</param>
    public async Task<(int Version, IReadOnlyList<OutputValue> Outputs)> InferAsync(
        string name, int? version, IReadOnlyList<TensorInput> inputs, IReadOnlyList<string>? outputs, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var target = await targets.GetAsync(name, cancellationToken).ConfigureAwait(false);
        var chosen = target.Serving(version ?? target.Choose(null, random));
        try
        {
            return await AnswerAsync(name, version, chosen, target, inputs, outputs, requestId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (stats.CountedFailure(name, chosen, ex))
        {
            throw; // never reached: the filter only counts
        }
    }

    /// <summary>Checks, runs and answers on the <paramref name="chosen"/> version (<paramref name="version"/>: the caller's pin, if any).</summary>
    private async Task<(int Version, IReadOnlyList<OutputValue> Outputs)> AnswerAsync(
        string name, int? version, int chosen, ServingTarget target, IReadOnlyList<TensorInput> inputs, IReadOnlyList<string>? outputs, string requestId, CancellationToken cancellationToken)
    {
        using var lease = await sessions.AcquireAsync(name, chosen, cancellationToken).ConfigureAwait(false);
        var signature = lease.Model.Signature;
        Check(lease.Model.Inputs, inputs, outputs);
        var started = time.GetTimestamp();
        var rows = (int)inputs[0].Shape.FirstOrDefault(1);
        var rowByRow = rows > 1 && signature.Inputs.All(i => i.Shape is { Count: > 0 } s && s[0] == 1);
        IReadOnlyList<OutputValue> results;
        if (!rowByRow)
        {
            using var whole = Bind(signature, inputs, 0, 1, whole: true);
            results = Predictor.Run(lease.Model, whole, outputs);
        }
        else
        {
            var perRow = new List<IReadOnlyList<OutputValue>>(rows);
            for (var row = 0; row < rows; row++)
            {
                using var one = Bind(signature, inputs, row, rows, whole: false);
                perRow.Add(Predictor.Run(lease.Model, one, outputs));
            }

            results = [.. perRow[0].Select((first, index) => Concatenate(perRow.Select(r => r[index]).ToList()))];
        }

        var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
        stats.Served(name, chosen, results, rows, elapsed);
        // Logged as the rows they are (MLflow's "inputs" shape), so monitoring and the shadow read them like any other request.
        served.Observe(name, chosen, version is null ? target : null, requestId, (inputs, rows, results), static s => Rows(s.inputs, s.rows), static s => OutputShaper.Shape(s.results, s.rows), elapsed);

        return (chosen, results);
    }

    /// <summary>
    /// Answers the usual request straight from its bytes (<see cref="TensorRequestReader"/>) when the
    /// model's target and session are in memory already: no document, no wait. Null when anything is
    /// not so; the caller then parses the request (<see cref="TensorRequest"/>) and takes
    /// <see cref="InferAsync"/>, which answers, or refuses with its own message, exactly as before.
    /// </summary>
    public InferAnswer? TryInfer(string name, int? version, ReadOnlyMemory<byte> body)
    {
        if (!targets.TryGetCached(name, out var target))
        {
            return null;
        }

        var chosen = version ?? target.Choose(null, random);
        if (!target.Serves(chosen) || !sessions.TryAcquireLoaded(name, chosen, out var lease))
        {
            return null;
        }

        using (lease)
        {
            var model = lease.Model;
            if (model.Tensors is not { } reader)
            {
                return null;
            }

            var runs = model.OneRow;
            var run = runs?.Rent();
            try
            {
                if (!reader.TryRead(body.Span, run?.Inputs, out var rows, out var id, out var outputs, out var read))
                {
                    return null;
                }

                using var inputs = read;
                var started = time.GetTimestamp();
                IReadOnlyList<OutputValue> results;
                try
                {
                    results = inputs is null ? Predictor.Run(model, runs!, run!) : Predictor.Run(model, inputs, outputs);
                }
                catch (PredictionInputException)
                {
                    // The model refused the values: the general path refuses them the same way, with the request id on the
                    // answer, and counts the failure against the version there (once).
                    return null;
                }
                catch (Exception ex) when (stats.CountedFailure(name, chosen, ex))
                {
                    throw; // never reached: the filter only counts
                }

                var requestId = TensorRequest.RequestIdFor(id);
                var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
                stats.Served(name, chosen, results, rows, elapsed);
                // The log and the shadow read the rows from the request's document: made only for the requests they take.
                served.Observe(name, chosen, version is null ? target : null, requestId, (body, rows, results), static s => LoggedRows(s.body, s.rows), static s => OutputShaper.Shape(s.results, s.rows), elapsed);
                return new InferAnswer(chosen, results, id, requestId);
            }
            finally
            {
                if (run is not null)
                {
                    runs!.Return(run);
                }
            }
        }
    }

    private static JsonElement LoggedRows(ReadOnlyMemory<byte> body, int rows)
    {
        using var document = JsonDocument.Parse(body);
        return Rows(TensorRequest.Parse(document.RootElement).Inputs, rows);
    }

    /// <summary>
    /// The request's rows in MLflow's <c>inputs</c> shape: one named column per input (a row of one
    /// value as that value), or the rows themselves when the model takes one tensor.
    /// </summary>
    private static JsonElement Rows(IReadOnlyList<TensorInput> inputs, int rows)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("inputs");
            if (inputs.Count == 1)
            {
                WriteRows(writer, inputs[0], rows);
            }
            else
            {
                writer.WriteStartObject();
                foreach (var input in inputs)
                {
                    writer.WritePropertyName(input.Name);
                    WriteRows(writer, input, rows);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return JsonSerializer.Deserialize<JsonElement>(buffer.WrittenSpan);
    }

    private static void WriteRows(Utf8JsonWriter writer, TensorInput input, int rows)
    {
        var width = rows == 0 ? 0 : input.Data.Count / rows;
        writer.WriteStartArray();
        for (var row = 0; row < rows; row++)
        {
            if (width == 1)
            {
                input.Data[row].WriteTo(writer);
                continue;
            }

            writer.WriteStartArray();
            for (var i = row * width; i < (row + 1) * width; i++)
            {
                input.Data[i].WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private static bool Sends(IReadOnlyList<TensorInput> inputs, string name)
    {
        foreach (var input in inputs)
        {
            if (input.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    private static void Check(InputPlan plan, IReadOnlyList<TensorInput> inputs, IReadOnlyList<string>? outputs)
    {
        var specs = plan.Specs;
        foreach (var input in inputs)
        {
            if (!specs.TryGetValue(input.Name, out var spec))
            {
                throw new PredictionInputException($"Unknown input '{input.Name}'; the model takes: {string.Join(", ", specs.Keys)}.");
            }

            if (spec.Kind != "tensor" || spec.Shape is null)
            {
                throw new PredictionInputException($"Input '{input.Name}' is a {spec.Type}, which cannot be sent as a tensor.");
            }

            var expected = OipDatatypes.Datatype(spec.ElementType);
            if (input.Datatype != expected)
            {
                throw new PredictionInputException($"Input '{input.Name}': expected datatype {expected}, got {input.Datatype}.");
            }

            if (input.Shape.Count != spec.Shape.Count)
            {
                throw new PredictionInputException($"Input '{input.Name}': expected shape {InputBinder.Shape(spec.Shape)}, got {InputBinder.Shape([.. input.Shape])}.");
            }

            for (var d = 0; d < spec.Shape.Count; d++)
            {
                // A fixed batch of 1 accepts any batch: such models are run row by row.
                if (spec.Shape[d] >= 0 && input.Shape[d] != spec.Shape[d] && !(d == 0 && spec.Shape[d] == 1))
                {
                    throw new PredictionInputException($"Input '{input.Name}': dimension {d} must be {spec.Shape[d]} (shape {InputBinder.Shape(spec.Shape)}), got {InputBinder.Shape([.. input.Shape])}.");
                }
            }

            // Multiplied in saturating steps: huge dimensions must read as "too many", never wrap to a negative count.
            var count = 1L;
            foreach (var b in input.Shape)
            {
                count = b == 0 || count <= int.MaxValue / Math.Max(b, 1) ? count * b : long.MaxValue;
            }

            if (count == long.MaxValue)
            {
                throw new PredictionInputException($"Input '{input.Name}': shape {InputBinder.Shape([.. input.Shape])} holds more than {int.MaxValue:N0} elements, more than one request can carry.");
            }

            if (count != input.Data.Count)
            {
                throw new PredictionInputException($"Input '{input.Name}': shape {InputBinder.Shape([.. input.Shape])} holds {count} element(s), but data has {input.Data.Count}.");
            }
        }

        foreach (var name in plan.InputOrder)
        {
            if (!Sends(inputs, name))
            {
                var missing = plan.InputOrder.Where(k => !Sends(inputs, k)).ToList();
                throw new PredictionInputException($"Missing input(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}.");
            }
        }

        foreach (var output in outputs ?? [])
        {
            if (!plan.OutputNames.Contains(output))
            {
                throw new PredictionInputException($"Unknown output '{output}'; the model produces: {string.Join(", ", plan.Signature.Outputs.Select(o => o.Name))}.");
            }
        }
    }

    private static ModelInputs Bind(ModelSignature signature, IReadOnlyList<TensorInput> inputs, int row, int rows, bool whole) => ModelInputs.Build(bound =>
    {
        foreach (var input in inputs)
        {
            var spec = signature.Inputs.First(i => i.Name == input.Name);
            var dims = input.Shape.ToArray();
            IReadOnlyList<JsonElement> data = input.Data;
            if (!whole)
            {
                var width = input.Data.Count / rows;
                data = input.Data.Skip(row * width).Take(width).ToList();
                dims[0] = 1;
            }

            bound.Add(input.Name, TensorFactory.Create(input.Name, spec.ElementType!, data, dims, $"input '{input.Name}' ({input.Datatype})"));
        }
    });

    private static OutputValue Concatenate(IReadOnlyList<OutputValue> parts)
    {
        var first = parts[0];
        if (first.Maps is not null)
        {
            return first with { Shape = [parts.Sum(p => p.Maps!.Count)], Maps = [.. parts.SelectMany(p => p.Maps!)] };
        }

        if (first.Items is not null)
        {
            return first with { Shape = [parts.Sum(p => p.Items!.Count)], Items = [.. parts.SelectMany(p => p.Items!)] };
        }

        var data = Array.CreateInstance(first.Data!.GetType().GetElementType()!, parts.Sum(p => p.Data!.Length));
        var offset = 0;
        foreach (var part in parts)
        {
            Array.Copy(part.Data!, 0, data, offset, part.Data!.Length);
            offset += part.Data!.Length;
        }

        var shape = (long[])first.Shape.Clone();
        shape[0] = parts.Sum(p => p.Shape.Length == 0 ? 1 : p.Shape[0]);
        return first with { Shape = shape, Data = data };
    }
}
