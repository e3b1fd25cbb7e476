using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Flywheel.Api.Requests;
using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Flywheel.Contracts.Serving;
using Flywheel.Health;
using Flywheel.Registry;
using Flywheel.Serving;
using Flywheel.Serving.Runtime;
using Flywheel.Serving.Tensors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Flywheel.Api.Serving;

/// <summary>
/// The Open Inference Protocol v2 REST API (KServe / Triton / MLServer), with the spec's exact JSON:
/// errors are <c>{"error": "..."}</c> (written by <see cref="Problems.FailureResponse"/> for these routes) with
/// 400 (bad request) or 404 (unknown model or version).
/// </summary>
public sealed class OipHandlers(TensorInference inference, ModelRegistry registry, ModelSessionCache sessions, StorageHealthProbe health, IOptions<ServingOptions> options)
{
    public const string Platform = "onnx_onnxv1";
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Ok Live() => TypedResults.Ok();

    public async Task<Results<Ok, StatusCodeHttpResult>> ReadyAsync(CancellationToken cancellationToken) =>
        (await health.CheckAsync(cancellationToken).ConfigureAwait(false)).Healthy ? TypedResults.Ok() : TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);

    public static IResult Server() => Results.Json(new OipServerMetadata("flywheel", FlywheelVersion.Informational, []), s_json);

    public async Task<IResult> ModelAsync(string name, string? version, CancellationToken cancellationToken)
    {
        var found = await registry.GetAsync(name, version is null ? VersionReference.Latest : VersionReference.Parse(version), cancellationToken).ConfigureAwait(false);
        if (found?.Signature is null)
        {
            return Error(StatusCodes.Status404NotFound, $"Model '{name}'{(version is null ? string.Empty : $" version '{version}'")} not found.");
        }

        var details = await registry.GetModelAsync(name, null, Paging.MaxPageSize, cancellationToken).ConfigureAwait(false);
        return Results.Json(new OipModelMetadata(
            name,
            details?.Versions.Where(v => !v.Archived).Select(v => v.Version.ToString(CultureInfo.InvariantCulture)).ToArray(),
            Platform,
            [.. found.Signature.Inputs.Select(Metadata)],
            [.. found.Signature.Outputs.Select(Metadata)]), s_json);
    }

    public async Task<Results<Ok, NotFound>> ModelReadyAsync(string name, string? version, CancellationToken cancellationToken)
    {
        var found = await registry.GetAsync(name, version is null ? VersionReference.Latest : VersionReference.Parse(version), cancellationToken).ConfigureAwait(false);
        if (found is null || found.Archived)
        {
            return TypedResults.NotFound();
        }

        // Ready means loadable: this loads (and warms) the session if it is not loaded yet.
        using var lease = await sessions.AcquireAsync(name, found.Version, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok();
    }

    // A ValueTask: a warm model answers without waiting, and its answer then costs no task.
    public async ValueTask<IResult> InferAsync(HttpRequest request, string name, string? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        int? pinned = version is null ? null : await registry.PinAsync(name, VersionReference.Parse(version), cancellationToken).ConfigureAwait(false);

        // Nothing answered keeps the body's bytes (the log and the shadow copy what they take), so its buffer goes back to the pool.
        using var pooled = await RequestBody.ReadPooledAsync(request, options.Value.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
        var bytes = pooled.Memory;
        var headers = request.HttpContext.Response.Headers;
        if (inference.TryInfer(name, pinned, bytes) is { } fast)
        {
            headers[PredictionHandlers.RequestIdHeader] = fast.RequestId;
            headers[PredictionHandlers.ModelVersionHeader] = fast.Version.ToString(CultureInfo.InvariantCulture);
            return new OipResponse(name, fast.Version, fast.Id, fast.Outputs, s_json);
        }

        using var body = RequestJson.Parse(bytes);
        var (id, inputs, outputs) = TensorRequest.Parse(body.RootElement);
        var requestId = TensorRequest.RequestIdFor(id);
        headers[PredictionHandlers.RequestIdHeader] = requestId;
        var (served, results) = await inference.InferAsync(name, pinned, inputs, outputs, requestId, cancellationToken).ConfigureAwait(false);
        headers[PredictionHandlers.ModelVersionHeader] = served.ToString(CultureInfo.InvariantCulture);
        return new OipResponse(name, served, id, results, s_json);
    }

    private static OipTensorMetadata Metadata(ValueSpec spec) =>
        new(spec.Name, OipDatatypes.Datatype(spec.Kind == "tensor" ? spec.ElementType : null), spec.Shape ?? [-1]);

    private static IResult Error(int status, string message) => Results.Json(new OipError(message), s_json, statusCode: status);
}
