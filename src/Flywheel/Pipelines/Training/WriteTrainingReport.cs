using System.Text;
using Azure.Storage.Blobs.Models;
using Flywheel.Storage;
using Flywheel.Training.Evaluation;
using Flywheel.Training.Reports;
using Microsoft.DurableTask;

namespace Flywheel.Pipelines.Training;

/// <summary>Renders the run's HTML report into the reports container (<c>training/{pipeline}/report.html</c>), overwriting: the same inputs give the same page.</summary>
public sealed class WriteTrainingReport(StorageClients storage) : TaskActivity<ReportWork, string>
{
    public static string PathFor(string pipelineId) => $"training/{pipelineId}/report.html";

    public override async Task<string> RunAsync(TaskActivityContext context, ReportWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reports = await storage.ContainerAsync(StorageNames.ReportsContainer, CancellationToken.None).ConfigureAwait(false);
        var evaluation = await BlobJson.ReadAsync<TrainingEvaluation>(reports.GetBlobClient(input.Candidate.Evaluation), CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The evaluation {input.Candidate.Evaluation} is missing.");
        var html = TrainingReport.Render(new TrainingReportContent(input.PipelineId, input.Plan, input.Trials, input.Candidate.Version, input.Candidate.TestMetrics,
            input.Gate.Passed, input.Gate.Reasons, input.Gate.ChampionMetrics, input.Promotion, input.Reason, evaluation,
            input.Gate.CandidateMetrics, input.Gate.Rows?.Test ?? 0, input.Gate.Rows?.Compared, input.Gate.Rows?.Basis));
        var path = PathFor(input.PipelineId);
        await reports.GetBlobClient(path).UploadAsync(BinaryData.FromString(html),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/html; charset=utf-8" } }, CancellationToken.None).ConfigureAwait(false);
        return $"{StorageNames.ReportsContainer}/{path}";
    }
}
