using Flywheel.Pipelines;
using Flywheel.Retraining;
using Microsoft.Extensions.Options;

namespace Flywheel.LocalHost;

/// <summary>The retraining timer: each occurrence of RetrainingOptions.Schedule (RETRAINING_SCHEDULE when set, as on Functions) starts the retrainings triggers asked for.</summary>
internal sealed class RetrainingTimer(RetrainingStarter starter, IPipelineClient pipelines, IOptions<RetrainingOptions> options, TimeProvider time, ILogger<RetrainingTimer> logger)
    : ScheduledTimer(time, logger)
{
    protected override string Schedule => options.Value.Schedule;

    protected override string Name => "retraining";

    protected override Task TickAsync(CancellationToken cancellationToken) => starter.TickAsync(pipelines, cancellationToken);
}
