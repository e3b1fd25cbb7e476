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

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.ContentType = "application/json; charset=utf-8";
        // Written into the pipe and left for Kestrel to flush when the request completes (one send
        // either way): flushing here only added an asynchronous step to every answer.
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("model");
            writer.WriteString("name", result.Model);
            writer.WriteNumber("version", result.Version);
            writer.WriteEndObject();
            writer.WritePropertyName("predictions");
            s_predictions.Write(writer, result.Predictions, Json.Options);
            writer.WriteEndObject();
        }

        return Task.CompletedTask;
    }
}
