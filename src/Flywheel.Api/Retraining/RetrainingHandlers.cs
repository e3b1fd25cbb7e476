using Flywheel.Api.Access;
using Flywheel.Api.Problems;
using Flywheel.Api.Requests;
using Flywheel.Contracts;
using Flywheel.Contracts.Retraining;
using Flywheel.Pipelines;
using Flywheel.Retraining;
using Flywheel.Retraining.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Api.Retraining;

/// <summary>Continuous training's routes: a model's retraining policy, its retrainings (running and past), and a manual start.</summary>
public sealed class RetrainingHandlers(Caller caller, RetrainingPolicies policies, RetrainingLedger ledger, RetrainingStarter starter)
{
    /// <summary>The most retraining records a list returns, newest first.</summary>
    public const int MaxListed = 200;

    private const string Example = """{"triggers": {"newData": {"minNewRows": 1000}, "drift": {"minShare": 0.5}}, "promotion": "canary", "canary": {"steps": [5, 25, 50], "interval": "PT5M"}}""";

    public async Task<Results<Created<RetrainingPolicy>, Ok<RetrainingPolicy>>> SetPolicyAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policy = await RequestJson.ReadAsync<RetrainingPolicy>(request, ProblemTypes.InvalidPolicy, Example, cancellationToken).ConfigureAwait(false);
        var (stored, created) = await policies.SetAsync(name, policy, caller.Name(request), cancellationToken).ConfigureAwait(false);
        return created ? TypedResults.Created((string?)null, stored) : TypedResults.Ok(stored);
    }

    public async Task<Results<Ok<RetrainingPolicy>, ProblemHttpResult>> GetPolicyAsync(string name, CancellationToken cancellationToken) =>
        await policies.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } policy
            ? TypedResults.Ok(policy)
            : Problem.NotFound($"Model '{name}' has no retraining policy: PUT one to api/models/{name}/policy.");

    public async Task<Results<NoContent, ProblemHttpResult>> DeletePolicyAsync(HttpRequest request, string name, CancellationToken cancellationToken) =>
        await policies.DeleteAsync(name, caller.Name(request), cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : Problem.NotFound($"Model '{name}' has no retraining policy.");

    public async Task<Ok<Page<RetrainingRecord>>> ListAsync(string name, CancellationToken cancellationToken)
    {
        var records = await ledger.ListAsync(name, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Page<RetrainingRecord>([.. records.Take(MaxListed)], null));
    }

    public async Task<Results<Ok<RetrainingRecord>, ProblemHttpResult>> GetAsync(string name, string id, CancellationToken cancellationToken) =>
        await ledger.GetAsync(name, id, cancellationToken).ConfigureAwait(false) is { } record
            ? TypedResults.Ok(record)
            : Problem.NotFound($"Model '{name}' has no retraining '{id}'.");

    /// <summary>Retrains now: 202 with the record (running, or skipped with why when another retraining runs).</summary>
    public async Task<Accepted<RetrainingRecord>> StartAsync(HttpRequest request, string name, IPipelineClient pipelines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await RequestBody.ReadAsync(request, RequestJson.MaxSettingsBytes, cancellationToken).ConfigureAwait(false);
        var start = body.Length == 0 ? new RetrainingStartRequest() : RequestJson.Bind<RetrainingStartRequest>(body, ProblemTypes.InvalidPolicy, """{"reason": "new labels arrived"}""", "The body");
        var record = await starter.StartNowAsync(pipelines, name, start.Reason, caller.Name(request), cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted($"{Routes.ModelRetraining.Replace("{name}", name, StringComparison.Ordinal).Replace("{id}", record.Id, StringComparison.Ordinal)}", record);
    }
}
