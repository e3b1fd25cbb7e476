using System.Globalization;
using Flywheel.Api.Problems;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Flywheel.Contracts.Training;
using Flywheel.Registry;
using Flywheel.Storage;
using Flywheel.Training.Tracking;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flywheel.Api.Training;

/// <summary>Experiment tracking routes: search runs with MLflow's filter grammar, read one run, and compare a model's versions metric by metric.</summary>
public sealed class RunHandlers(RunStore runs, ModelRegistry registry)
{
    public async Task<Results<Ok<Page<RunRecord>>, ProblemHttpResult>> ListAsync(HttpRequest request, RunListQuery query, PageQuery paging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(paging);
        var (token, size) = paging.Read(request);
        var model = QueryValue.Text(query.Model);
        if (model is not null && Problem.InvalidName("model", model) is { } invalid)
        {
            return invalid;
        }

        var search = RunQuery.Parse(query.Filter ?? string.Empty, query.OrderBy ?? string.Empty);
        var offset = token is null ? 0 : int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o
            : throw new FlywheelException(ErrorKind.InvalidInput, ProblemTypes.InvalidContinuationToken, "continuationToken is not one this list handed out.");
        var matching = new List<RunRecord>();
        await foreach (var run in runs.ListAsync(model, QueryValue.Text(query.Pipeline), cancellationToken).ConfigureAwait(false))
        {
            if (search.Matches(run))
            {
                matching.Add(run);
            }
        }

        var page = search.Order(matching).Skip(offset).Take(size).ToList();
        var next = offset + page.Count < matching.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return Paging.Ok(request, new ListPage<RunRecord>(page, next));
    }

    public async Task<Results<Ok<RunRecord>, ProblemHttpResult>> GetAsync(string id, CancellationToken cancellationToken) =>
        await runs.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } run
            ? TypedResults.Ok(run)
            : Problem.NotFound($"There is no run '{id}'.");

    public async Task<Results<Ok<ModelMetrics>, ProblemHttpResult>> ModelMetricsAsync(string name, CancellationToken cancellationToken)
    {
        var metrics = new SortedDictionary<string, List<VersionMetric>>(StringComparer.Ordinal);
        string? token = null;
        var found = false;
        do
        {
            var details = await registry.GetModelAsync(name, token, Paging.MaxPageSize, cancellationToken).ConfigureAwait(false);
            if (details is null)
            {
                break;
            }

            found = true;
            foreach (var version in details.Versions)
            {
                foreach (var (metric, value) in version.Metrics)
                {
                    (metrics.TryGetValue(metric, out var list) ? list : metrics[metric] = []).Add(new VersionMetric(version.Version, value, version.Created, version.RunId));
                }
            }

            token = details.ContinuationToken;
        }
        while (token is not null);

        return found
            ? TypedResults.Ok(new ModelMetrics(name, metrics.ToDictionary(m => m.Key, m => (IReadOnlyList<VersionMetric>)[.. m.Value.OrderBy(v => v.Version)], StringComparer.Ordinal)))
            : Problem.NotFound($"There is no model '{name}'.");
    }
}
