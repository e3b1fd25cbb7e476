using DurableTask.Core;
using Flywheel.Api.Pipelines;
using Flywheel.Contracts.Errors;
using Flywheel.Contracts.Pipelines;
using Flywheel.Pipelines;
using Flywheel.Storage;
using CoreQuery = DurableTask.Core.Query.OrchestrationQuery;
using DataConverter = Microsoft.DurableTask.DataConverter;

namespace Flywheel.LocalHost.Pipelines;

/// <summary>
/// <see cref="IPipelineClient"/> over the Durable Task Framework's client and query API, with the
/// one <see cref="DataConverter"/> the orchestrations use (DurableTask.Core's own default is Newtonsoft.Json).
/// </summary>
internal sealed class LocalPipelineClient(LocalEngine engine, DataConverter converter, ILoggerFactory loggerFactory) : IPipelineClient
{
    private readonly TaskHubClient _client = new(engine.Service, new CoreDataConverter(converter), loggerFactory);

    public async Task StartAsync(string orchestrator, string instanceId, object input, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        await _client.CreateOrchestrationInstanceAsync(orchestrator, string.Empty, instanceId, input).ConfigureAwait(false);
    }

    public async Task<PipelineStatus?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var state = await _client.GetOrchestrationStateAsync(instanceId).ConfigureAwait(false);
        return state is null ? null : Status(state);
    }

    public async Task<ListPage<PipelineStatus>> ListAsync(PipelineQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var statuses = query.Statuses.Select(Enum.Parse<OrchestrationStatus>).ToList();
        var result = await engine.Service.GetOrchestrationWithQueryAsync(new CoreQuery
        {
            RuntimeStatus = statuses,
            CreatedTimeFrom = query.CreatedFrom?.UtcDateTime,
            CreatedTimeTo = query.CreatedTo?.UtcDateTime,
            PageSize = query.PageSize,
            ContinuationToken = query.ContinuationToken,
            FetchInputsAndOutputs = true,
        }, cancellationToken).ConfigureAwait(false);
        var items = result.OrchestrationState
            .Where(s => query.Name is null || string.Equals(s.Name, query.Name, StringComparison.Ordinal))
            .Select(Status)
            .ToList();
        return new ListPage<PipelineStatus>(items, string.IsNullOrEmpty(result.ContinuationToken) ? null : result.ContinuationToken);
    }

    public async Task RaiseEventAsync(string instanceId, string eventName, object? payload, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        await _client.RaiseEventAsync(new OrchestrationInstance { InstanceId = instanceId }, eventName, payload!).ConfigureAwait(false);
    }

    public async Task TerminateAsync(string instanceId, string? reason, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        await _client.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = instanceId }, reason!).ConfigureAwait(false);
    }

    private async Task ReadyAsync(CancellationToken cancellationToken)
    {
        if (!engine.Enabled)
        {
            throw new FlywheelException(ErrorKind.Unavailable, ProblemTypes.EngineOff, "The local pipeline engine is off (Flywheel:LocalEngine:Enabled is false).");
        }

        await engine.EnsureCreatedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static PipelineStatus Status(OrchestrationState state) => PipelineStatus.From(
        state.Name,
        state.OrchestrationInstance.InstanceId,
        state.OrchestrationStatus.ToString(),
        state.Input,
        state.Status,
        state.OrchestrationStatus == OrchestrationStatus.Failed ? null : state.Output,
        new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
        new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
        Failure(state));

    /// <summary>
    /// Why a run failed. The Azure Storage provider keeps the failure details in the output column
    /// (as JSON FailureDetails) rather than in <see cref="OrchestrationState.FailureDetails"/>.
    /// </summary>
    private static PipelineFailure? Failure(OrchestrationState state)
    {
        if (state.FailureDetails is { } failure)
        {
            return new PipelineFailure(failure.ErrorType, failure.ErrorMessage);
        }

        if (state.OrchestrationStatus != OrchestrationStatus.Failed || string.IsNullOrEmpty(state.Output))
        {
            return null;
        }

        try
        {
            var details = Newtonsoft.Json.JsonConvert.DeserializeObject<FailureDetails>(state.Output);
            if (details?.ErrorMessage is not null)
            {
                return new PipelineFailure(details.ErrorType, details.ErrorMessage);
            }
        }
        catch (Newtonsoft.Json.JsonException)
        {
            // Not failure details: the output is the message itself.
        }

        return new PipelineFailure("OrchestrationFailed", state.Output);
    }
}

/// <summary>DurableTask.Core's converter interface over the orchestrations' System.Text.Json converter.</summary>
internal sealed class CoreDataConverter(DataConverter converter) : DurableTask.Core.Serializing.DataConverter
{
    public override string Serialize(object value) => converter.Serialize(value)!;

    public override string Serialize(object value, bool formatted) => converter.Serialize(value)!;

    public override object Deserialize(string data, Type objectType) => converter.Deserialize(data, objectType)!;
}
