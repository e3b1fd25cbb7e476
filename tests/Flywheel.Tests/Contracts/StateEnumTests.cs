using System.Text.Json;
using Flywheel.Contracts;
using Flywheel.Contracts.Health;
using Flywheel.Contracts.Monitoring;
using Flywheel.Contracts.Pipelines;
using Flywheel.Contracts.Registry;
using Flywheel.Contracts.Retraining;
using Flywheel.Contracts.Training;

namespace Flywheel.Tests.Contracts;

/// <summary>The states that were strings keep their exact strings on the wire, in stored rows and in Durable's history.</summary>
public sealed class StateEnumTests
{
    public static TheoryData<Enum, string> States => new()
    {
        { RunStatus.Running, "RUNNING" },
        { RunStatus.Finished, "FINISHED" },
        { RunStatus.Failed, "FAILED" },
        { PromotionOutcome.Promoted, "promoted" },
        { PromotionOutcome.NotPromoted, "not-promoted" },
        { PromotionOutcome.Rejected, "rejected" },
        { PromotionOutcome.Registered, "registered" },
        { TrainingStep.Splitting, "splitting" },
        { TrainingStep.Searching, "searching" },
        { TrainingStep.Refitting, "refitting" },
        { TrainingStep.Gating, "gating" },
        { TrainingStep.AwaitingApproval, "awaiting-approval" },
        { TrainingStep.Reporting, "reporting" },
        { TrainingStep.Completed, "completed" },
        { BatchScoringStep.Planning, "planning" },
        { BatchScoringStep.Scoring, "scoring" },
        { BatchScoringStep.Assembling, "assembling" },
        { BatchScoringStep.Completed, "completed" },
        { PipelineRuntimeStatus.Pending, "Pending" },
        { PipelineRuntimeStatus.Running, "Running" },
        { PipelineRuntimeStatus.Suspended, "Suspended" },
        { PipelineRuntimeStatus.Completed, "Completed" },
        { PipelineRuntimeStatus.ContinuedAsNew, "ContinuedAsNew" },
        { PipelineRuntimeStatus.Failed, "Failed" },
        { PipelineRuntimeStatus.Canceled, "Canceled" },
        { PipelineRuntimeStatus.Terminated, "Terminated" },
        { HistoryAction.VersionCreated, "version-created" },
        { HistoryAction.VersionArchived, "version-archived" },
        { HistoryAction.AliasSet, "alias-set" },
        { HistoryAction.AliasDeleted, "alias-deleted" },
        { HistoryAction.DeploymentSet, "deployment-set" },
        { HistoryAction.DeploymentRemoved, "deployment-removed" },
        { HistoryAction.PolicySet, "policy-set" },
        { HistoryAction.PolicyRemoved, "policy-removed" },
        { HistoryAction.RetrainingStarted, "retraining-started" },
        { HistoryAction.CanaryStep, "canary-step" },
        { HistoryAction.CanaryPromoted, "canary-promoted" },
        { HistoryAction.CanaryRolledBack, "canary-rolled-back" },
        { HistoryAction.RetrainingFinished, "retraining-finished" },
        { RetrainingStatus.Pending, "pending" },
        { RetrainingStatus.Skipped, "skipped" },
        { RetrainingStatus.Running, "running" },
        { RetrainingStatus.Promoted, "promoted" },
        { RetrainingStatus.RolledBack, "rolled-back" },
        { RetrainingStatus.NotPromoted, "not-promoted" },
        { RetrainingStatus.Registered, "registered" },
        { RetrainingStatus.Held, "held" },
        { RetrainingStatus.Failed, "failed" },
        { RetrainingStatus.Terminated, "terminated" },
        { TriggerKind.NewData, "newData" },
        { TriggerKind.Drift, "drift" },
        { TriggerKind.Schedule, "schedule" },
        { TriggerKind.Feedback, "feedback" },
        { TriggerKind.Manual, "manual" },
        { RolloutMode.Canary, "canary" },
        { RolloutMode.IfBetter, "if-better" },
        { RolloutMode.Manual, "manual" },
        { RolloutMode.Never, "never" },
        { InconclusiveAction.Hold, "hold" },
        { InconclusiveAction.Rollback, "rollback" },
        { InconclusiveAction.Promote, "promote" },
        { ApprovalMode.None, "none" },
        { ApprovalMode.Manual, "manual" },
        { RetrainingData.Saved, "saved" },
        { DriftVerdict.Drift, "drift" },
        { DriftVerdict.NoDrift, "no-drift" },
        { DriftVerdict.NotEnoughData, "not-enough-data" },
        { MonitoringTrigger.Schedule, "schedule" },
        { MonitoringTrigger.OnDemand, "on-demand" },
        { HealthStatus.Healthy, "healthy" },
        { HealthStatus.Unhealthy, "unhealthy" },
    };

    [Theory]
    [MemberData(nameof(States))]
    public void A_state_serializes_as_its_string_of_old_and_reads_back(Enum state, string text)
    {
        ArgumentNullException.ThrowIfNull(state);
        var json = JsonSerializer.Serialize(state, state.GetType(), Json.Options);

        Assert.Equal($"\"{text}\"", json);
        Assert.Equal(state, JsonSerializer.Deserialize(json, state.GetType(), Json.Requests));
    }

    [Theory]
    [MemberData(nameof(States))]
    public void A_state_has_the_same_text_in_table_rows_as_in_json(Enum state, string text)
    {
        ArgumentNullException.ThrowIfNull(state);
        var of = typeof(WireNames).GetMethod(nameof(WireNames.Of))!.MakeGenericMethod(state.GetType());
        var parse = typeof(WireNames).GetMethod(nameof(WireNames.Parse))!.MakeGenericMethod(state.GetType());

        Assert.Equal(text, of.Invoke(null, [state]));
        Assert.Equal(state, parse.Invoke(null, [text]));
    }

    [Fact]
    public void Every_member_of_every_state_is_covered()
    {
        var covered = States.Select(row => (Enum)row[0]).ToHashSet();
        var types = covered.Select(s => s.GetType()).Distinct();

        Assert.All(types.SelectMany(t => Enum.GetValues(t).Cast<Enum>()), member => Assert.Contains(member, covered));
    }

    [Fact]
    public void Every_runtime_status_either_engine_reports_is_a_pipeline_runtime_status()
    {
        var names = Enum.GetNames<Microsoft.DurableTask.Client.OrchestrationRuntimeStatus>().Concat(Enum.GetNames<DurableTask.Core.OrchestrationStatus>());

        Assert.All(names, name => Assert.True(WireNames.TryParse<PipelineRuntimeStatus>(name, out _), name));
    }

    [Fact]
    public void Stored_text_this_version_does_not_know_is_refused_by_name()
    {
        Assert.False(WireNames.TryParse<HistoryAction>("Alias-Set", out _));
        var error = Assert.Throws<FormatException>(() => WireNames.Parse<DriftVerdict>("drifted"));
        Assert.Equal("'drifted' is not a DriftVerdict: use drift, no-drift, not-enough-data.", error.Message);
    }
}
