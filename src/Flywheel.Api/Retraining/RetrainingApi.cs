using Flywheel.Api.Pipelines;
using Flywheel.Api.Retraining;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The continuous-training routes: a model's retraining policy and its retrainings.</summary>
public static class RetrainingApi
{
    public static IEndpointRouteBuilder MapRetrainingApi(this IEndpointRouteBuilder endpoints)
    {
        var retraining = endpoints.MapGroup(string.Empty).WithTags("Retraining").Naming("model")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        retraining.MapPut(Routes.ModelPolicy, (HttpRequest r, string name, RetrainingHandlers h, CancellationToken ct) => h.SetPolicyAsync(r, name, ct))
            .WithName("SetRetrainingPolicy").WithSummary("Set when the model retrains by itself and how a candidate reaches traffic")
            .WithDescription("Every field has a default, so {\"triggers\": {\"newData\": {}}} is a complete policy; the answer is the policy with its defaults. The model needs a saved training request.");
        retraining.MapGet(Routes.ModelPolicy, (string name, RetrainingHandlers h, CancellationToken ct) => h.GetPolicyAsync(name, ct))
            .WithName("GetRetrainingPolicy").WithSummary("Get the model's retraining policy, defaults filled in");
        retraining.MapDelete(Routes.ModelPolicy, (HttpRequest r, string name, RetrainingHandlers h, CancellationToken ct) => h.DeletePolicyAsync(r, name, ct))
            .WithName("DeleteRetrainingPolicy").WithSummary("Remove the model's retraining policy: it retrains only when asked");
        retraining.MapGet(Routes.ModelRetrainings, (string name, RetrainingHandlers h, CancellationToken ct) => h.ListAsync(name, ct))
            .WithName("ListRetrainings").WithSummary("The model's retrainings, newest first: trigger, steps with check values, outcome");
        retraining.MapPost(Routes.ModelRetrainings, (HttpRequest r, string name, RetrainingHandlers h, WorkflowClient w, CancellationToken ct) => h.StartAsync(r, name, w.Client, ct))
            .WithName("StartRetraining").WithSummary("Retrain now with the saved training request (202); steer it with pipeline events");
        retraining.MapGet(Routes.ModelRetraining, (string name, string id, RetrainingHandlers h, CancellationToken ct) => h.GetAsync(name, id, ct))
            .WithName("GetRetraining").WithSummary("One retraining: its trigger, every decision with its evidence, the outcome");
        return endpoints;
    }
}
