namespace Flywheel.Contracts.Monitoring;

/// <summary>The window's metrics on the predictions that have feedback, beside the version's registered (test) metrics.</summary>
public sealed record PerformanceResult(long Rows, IReadOnlyDictionary<string, double> Metrics, IReadOnlyDictionary<string, double> Registered);

/// <summary>Estimated performance without labels (NannyML's CBPE idea), shown as an estimate.</summary>
public sealed record PerformanceEstimate(long Rows, double Accuracy, double? Auc, string Method, string Note);
