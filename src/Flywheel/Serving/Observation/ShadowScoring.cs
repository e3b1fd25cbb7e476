using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Flywheel.Serving.Outputs;
using Flywheel.Serving.Records;
using Flywheel.Serving.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flywheel.Serving.Observation;

/// <summary>A request to replay on the shadow version, with what the primary answered.</summary>
public sealed record ShadowWork(string Model, int ShadowVersion, int PrimaryVersion, string RequestId, JsonElement Body, IReadOnlyList<object?> PrimaryPredictions);

/// <summary>
/// Scores shadow traffic off the response path: the primary's answer has already gone back when the
/// shadow runs. Shadow outputs are only logged (always, with whether they agree with the primary:
/// <see cref="PredictionAnswers.Agrees"/>, the same label or a close number per row), never returned. A full queue drops shadow work rather than slow anything down.
/// </summary>
public sealed partial class ShadowScoring(IServiceProvider services, TimeProvider time, ILogger<ShadowScoring> logger) : BackgroundService
{
    private readonly Channel<ShadowWork> _queue = Channel.CreateBounded<ShadowWork>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Enqueue(ShadowWork work) => _queue.Writer.TryWrite(work);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved here, not injected: the scorer (the runtime's predictor) depends on this class.
        var predictor = services.GetRequiredService<IVersionScorer>();
        var log = services.GetRequiredService<PredictionLog>();
        var stats = services.GetRequiredService<ServingStats>();
        await foreach (var work in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            var started = time.GetTimestamp();
            try
            {
                var predictions = await predictor.ScoreAsync(work.Model, work.ShadowVersion, RecordBatch.Parse(work.Body), stoppingToken).ConfigureAwait(false);
                var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
                stats.Served(work.Model, work.ShadowVersion, predictions, elapsed, shadow: true);
                var agrees = PredictionAnswers.Agrees(predictions, work.PrimaryPredictions);
                stats.Compared(work.Model, work.ShadowVersion, agrees);
                log.Append(new PredictionRecord(work.RequestId, work.Model, work.ShadowVersion, time.GetUtcNow(), elapsed, work.Body, predictions,
                    Shadow: true, PrimaryVersion: work.PrimaryVersion, AgreesWithPrimary: agrees));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Any failure ends this shadow request only: the loop, and the host, go on. It is the shadow version's error
                // whatever it was: the answering version scored the same rows.
                stats.ShadowFailed(work.Model, work.ShadowVersion);
                LogShadowFailed(logger, ex, work.Model, work.ShadowVersion);
            }
        }
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "Shadow scoring on {Model} v{Version} failed")]
    private static partial void LogShadowFailed(ILogger logger, Exception exception, string model, int version);
}
