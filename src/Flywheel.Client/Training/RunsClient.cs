using Flywheel.Client.Http;
using Flywheel.Contracts;
using Flywheel.Contracts.Training;

namespace Flywheel.Client.Training;

/// <summary>Which tracked trials to list: by model or pipeline, a filter such as <c>metrics.auc &gt; 0.9 and params.trainer = 'FastTree'</c>, and an order such as <c>metrics.auc desc</c>.</summary>
public sealed record RunQuery(string? Model = null, string? Pipeline = null, string? Filter = null, string? OrderBy = null, int? PageSize = null);

/// <summary>Tracked trials: every trial of every training, with its parameters, metrics and artifacts.</summary>
public sealed class RunsClient
{
    private readonly FlywheelHttp _http;

    internal RunsClient(FlywheelHttp http) => _http = http;

    public IAsyncEnumerable<RunRecord> ListAsync(RunQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new RunQuery();
        var path = ApiPath.Of(Routes.Runs).With(("model", query.Model), ("pipeline", query.Pipeline), ("filter", query.Filter), ("orderBy", query.OrderBy));
        return _http.PagesAsync<RunRecord>(path, query.PageSize, cancellationToken);
    }

    public Task<RunRecord> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _http.GetAsync<RunRecord>(ApiPath.Of(Routes.Run, ("id", id)), cancellationToken);
}
