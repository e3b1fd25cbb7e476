using System.Text.Json;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Runtime;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Serving;

/// <summary>
/// Writes <c>{"model":{"name","version"},"predictions":[...]}</c> straight into the response pipe,
/// the predictions through <see cref="PredictionsJsonConverter"/> rather than the serializer's
/// polymorphic <c>object</c> path.
/// </summary>
public sealed class PredictionResponse(PredictionResult result) : IResult
{
    private static readonly PredictionsJsonConverter s_predictions = new();
    private static readonly JsonEncodedText s_model = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText s_name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText s_version = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText s_predictionsName = JsonEncodedText.Encode("predictions");

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.ContentType = "application/json; charset=utf-8";
        // Written into the pipe and left for Kestrel to flush when the request completes (one send
        // either way): flushing here only added an asynchronous step to every answer.
        var writer = ResponseJsonWriters.Rent(response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartObject(s_model);
        writer.WriteString(s_name, result.Model);
        writer.WriteNumber(s_version, result.Version);
        writer.WriteEndObject();
        writer.WritePropertyName(s_predictionsName);
        s_predictions.Write(writer, result.Predictions, Json.Options);
        writer.WriteEndObject();
        ResponseJsonWriters.Return(writer);
        return Task.CompletedTask;
    }
}
