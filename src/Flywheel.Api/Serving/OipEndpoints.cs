using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Flywheel.Api.Requests;
using Flywheel.Health;
using Flywheel.Onnx;
using Flywheel.Registry;
using Flywheel.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Flywheel.Api.Serving;

/// <summary>
/// The Open Inference Protocol v2 REST API (KServe / Triton / MLServer), with the spec's exact JSON:
/// errors are <c>{"error": "..."}</c> (written by <see cref="Problems.FailureResponse"/> for these routes) with
/// 400 (bad request) or 404 (unknown model or version).
/// </summary>
public sealed class OipEndpoints(TensorInference inference, ModelRegistry registry, ModelSessionCache sessions, StorageHealthProbe health, IOptions<ServingOptions> options)
{
    public const string Platform = "onnx_onnxv1";
    private static readonly string s_version =
        typeof(OipEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Live() => Results.Ok();

    public async Task<IResult> ReadyAsync(CancellationToken cancellationToken) =>
        (await health.CheckAsync(cancellationToken).ConfigureAwait(false)).Healthy ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);

    public static IResult Server() => Results.Json(new { name = "flywheel", version = s_version, extensions = Array.Empty<string>() }, s_json);

    public async Task<IResult> ModelAsync(string name, string? version, CancellationToken cancellationToken)
    {
        var found = await registry.GetAsync(name, version is null ? VersionReference.Latest : VersionReference.Parse(version), cancellationToken).ConfigureAwait(false);
        if (found?.Signature is null)
        {
            return Error(StatusCodes.Status404NotFound, $"Model '{name}'{(version is null ? string.Empty : $" version '{version}'")} not found.");
        }

        var details = await registry.GetModelAsync(name, null, Paging.MaxPageSize, cancellationToken).ConfigureAwait(false);
        return Results.Json(new
        {
            name,
            versions = details?.Versions.Where(v => !v.Archived).Select(v => v.Version.ToString(CultureInfo.InvariantCulture)).ToArray(),
            platform = Platform,
            inputs = found.Signature.Inputs.Select(Metadata).ToArray(),
            outputs = found.Signature.Outputs.Select(Metadata).ToArray(),
        }, s_json);
    }

    public async Task<IResult> ModelReadyAsync(string name, string? version, CancellationToken cancellationToken)
    {
        var found = await registry.GetAsync(name, version is null ? VersionReference.Latest : VersionReference.Parse(version), cancellationToken).ConfigureAwait(false);
        if (found is null || found.Archived)
        {
            return Results.NotFound();
        }

        // Ready means loadable: this loads (and warms) the session if it is not loaded yet.
        using var lease = await sessions.AcquireAsync(name, found.Version, cancellationToken).ConfigureAwait(false);
        return Results.Ok();
    }

    public async Task<IResult> InferAsync(HttpRequest request, string name, string? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        int? pinned = version is null ? null : await registry.PinAsync(name, VersionReference.Parse(version), cancellationToken).ConfigureAwait(false);

        using var body = await RequestJson.ReadDocumentAsync(request, options.Value.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
        var (id, inputs, outputs) = ParseRequest(body.RootElement);
        // The caller's id joins its feedback to the logged prediction when it is one Flywheel can store; otherwise Flywheel issues one.
        var requestId = RequestId.IsValid(id) ? id! : Guid.NewGuid().ToString("N");
        request.HttpContext.Response.Headers[PredictionEndpoints.RequestIdHeader] = requestId;
        var (served, results) = await inference.InferAsync(name, pinned, inputs, outputs, requestId, cancellationToken).ConfigureAwait(false);
        request.HttpContext.Response.Headers[PredictionEndpoints.ModelVersionHeader] = served.ToString(CultureInfo.InvariantCulture);
        return Results.Json(new
        {
            model_name = name,
            model_version = served.ToString(CultureInfo.InvariantCulture),
            id,
            outputs = results.Select(ResponseOutput).ToArray(),
        }, s_json);
    }

    private static (string? Id, IReadOnlyList<TensorInput> Inputs, IReadOnlyList<string>? Outputs) ParseRequest(JsonElement root)
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

    private static object Metadata(ValueSpec spec) => new
    {
        name = spec.Name,
        datatype = OipDatatypes.Datatype(spec.Kind == "tensor" ? spec.ElementType : null),
        shape = spec.Shape?.ToArray() ?? [-1],
    };

    private static object ResponseOutput(OutputValue output)
    {
        if (!output.IsTensor)
        {
            // Non-tensor outputs (ZipMap's maps, other sequences) travel as BYTES: one JSON text per item.
            var items = Enumerable.Range(0, (int)output.Rows).Select(row => JsonSerializer.Serialize(OutputShaper.RowValue(output, row), s_json));
            return new { name = output.Name, shape = new[] { output.Rows }, datatype = "BYTES", data = items.ToArray() };
        }

        var data = new object?[output.Data!.Length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = output.Element(i);
        }

        return new { name = output.Name, shape = output.Shape, datatype = OipDatatypes.Datatype(output.ElementType), data };
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, s_json, statusCode: status);
}
