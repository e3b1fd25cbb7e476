using Flywheel.Api.Routing;
using Flywheel.Api.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Flywheel.Functions.Serving;

public sealed class PredictionFunctions(PredictionEndpoints predictions)
{
    [Function(nameof(Predict))]
    public Task<IResult> Predict(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.Predict)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        predictions.PredictAsync(request, name, cancellationToken);

    [Function(nameof(PredictVersion))]
    public Task<IResult> PredictVersion(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.PredictVersion)] HttpRequest request, string name, string version, CancellationToken cancellationToken) =>
        predictions.PredictVersionAsync(request, name, version, cancellationToken);

    [Function(nameof(PutDeployment))]
    public Task<IResult> PutDeployment(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = Routes.Deployment)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        predictions.PutDeploymentAsync(request, name, cancellationToken);

    [Function(nameof(GetDeployment))]
    public Task<IResult> GetDeployment(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Deployment)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        predictions.GetDeploymentAsync(request, name, cancellationToken);

    [Function(nameof(DeleteDeployment))]
    public Task<IResult> DeleteDeployment(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = Routes.Deployment)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        predictions.DeleteDeploymentAsync(request, name, cancellationToken);

    [Function(nameof(PostFeedback))]
    public Task<IResult> PostFeedback(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.Feedback)] HttpRequest request, string name, CancellationToken cancellationToken) =>
        predictions.FeedbackAsync(request, name, cancellationToken);
}
