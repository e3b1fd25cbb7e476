using System.Globalization;
using System.Text;
using Flywheel.Datasets.Versions;
using Flywheel.Onnx;

namespace Flywheel.Registry;

/// <summary>
/// A model card in Markdown: what the model is for, its interface, how it measured, what it was
/// trained on, where it came from, and what it should not be used for. The governance artifact a
/// reviewer reads without access to the registry.
/// </summary>
public static class ModelCard
{
    public static string Render(ModelVersion model, DatasetVersion? dataset)
    {
        ArgumentNullException.ThrowIfNull(model);
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# Model card: {model.Model} v{model.Version}");
        md.AppendLine();
        md.AppendLine("## Purpose");
        md.AppendLine();
        md.AppendLine(string.IsNullOrWhiteSpace(model.Description) ? "_No description was registered._" : model.Description);
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---|");
        md.AppendLine(c, $"| Version | {model.Version}{(model.Archived ? " (archived)" : string.Empty)} |");
        md.AppendLine(c, $"| Aliases | {(model.Aliases.Count == 0 ? "none" : string.Join(", ", model.Aliases))} |");
        md.AppendLine(c, $"| Registered | {model.Created:u}{(model.CreatedBy is null ? string.Empty : $" by {model.CreatedBy}")} |");
        md.AppendLine(c, $"| SHA-256 | `{model.Sha256}` ({model.SizeBytes:N0} bytes) |");
        if (model.Signature is { } s)
        {
            md.AppendLine(c, $"| Producer | {s.ProducerName ?? "unknown"} {s.ProducerVersion} |");
            md.AppendLine(c, $"| ONNX | IR {s.IrVersion}; opsets {string.Join(", ", s.OpsetImports.Select(o => $"{(o.Domain.Length == 0 ? "ai.onnx" : o.Domain)} {o.Version}"))} |");
        }

        md.AppendLine();
        md.AppendLine("## Signature");
        md.AppendLine();
        if (model.Signature is { } signature)
        {
            md.AppendLine("| direction | name | type | shape |");
            md.AppendLine("|---|---|---|---|");
            foreach (var (direction, values) in new[] { ("input", signature.Inputs), ("output", signature.Outputs) })
            {
                foreach (var value in values)
                {
                    md.AppendLine(c, $"| {direction} | `{value.Name}` | `{value.Type}` | {Shape(value)} |");
                }
            }

            if (model.FeatureNames is { Count: > 0 } features)
            {
                md.AppendLine();
                md.AppendLine(c, $"Feature order: {string.Join(", ", features.Select(f => $"`{f}`"))}.");
            }
        }
        else
        {
            md.AppendLine("_The signature is not available._");
        }

        md.AppendLine();
        md.AppendLine("## Metrics");
        md.AppendLine();
        if (model.Metrics.Count == 0)
        {
            md.AppendLine("_No metrics were registered._");
        }
        else
        {
            md.AppendLine("| metric | value |");
            md.AppendLine("|---|---|");
            foreach (var (name, value) in model.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                md.AppendLine(c, $"| {name} | {value:G6} |");
            }
        }

        md.AppendLine();
        md.AppendLine("## Training data");
        md.AppendLine();
        if (dataset is null)
        {
            md.AppendLine(model.Dataset is { } reference
                ? $"Dataset `{reference.Name}` v{reference.Version} (not found in this registry)."
                : "_No training dataset was registered: the model's provenance is unknown._");
        }
        else
        {
            md.AppendLine(c, $"Dataset `{dataset.Dataset}` v{dataset.Version}: {dataset.Rows:N0} rows, {dataset.ColumnCount} columns, SHA-256 `{dataset.Sha256}`, from `{dataset.Source}`.");
            md.AppendLine();
            md.AppendLine("| column | type | missing | mean | std | min | max |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var column in dataset.Columns ?? [])
            {
                if (dataset.Profile?.GetValueOrDefault(column) is not { } p)
                {
                    continue;
                }

                var missing = p.Count + p.Missing == 0 ? 0 : (double)p.Missing / (p.Count + p.Missing);
                md.AppendLine(c, $"| {column} | {p.Type.ToString().ToLowerInvariant()} | {missing:P1} | {Number(p.Mean)} | {Number(p.Std)} | {p.Min} | {p.Max} |");
            }
        }

        if (model.Training is { } training)
        {
            md.AppendLine();
            md.AppendLine("## Training");
            md.AppendLine();
            md.AppendLine(c, $"- Pipeline: `{training.PipelineId}` ([report]({training.Report}))");
            md.AppendLine(c, $"- Task: {training.Task}; chosen on `{training.Metric}` (test metrics above, on held-out rows)");
            md.AppendLine(c, $"- Trainer: {training.Trainer}, seed {training.Seed}");
            md.AppendLine(c, $"- Parameters: {(training.Parameters.Count == 0 ? "the trainer's defaults" : string.Join(", ", training.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} = {p.Value.ToString("G6", c)}")))}");
            md.AppendLine();
            md.AppendLine("| Feature | Permutation importance |");
            md.AppendLine("|---|---|");
            foreach (var feature in training.Features.OrderByDescending(f => training.Importance.GetValueOrDefault(f)))
            {
                md.AppendLine(c, $"| {feature} | {training.Importance.GetValueOrDefault(feature):0.000000} |");
            }
        }

        md.AppendLine();
        md.AppendLine("## Lineage");
        md.AppendLine();
        md.AppendLine(c, $"- Training run: {(model.RunId is null ? "not recorded" : $"`{model.RunId}`")}");
        md.AppendLine(c, $"- Dataset: {(model.Dataset is { } d ? $"`{d.Name}` v{d.Version}" : "not recorded")}");
        md.AppendLine(c, $"- Artifact: `{model.ContentPath}`");
        md.AppendLine();
        md.AppendLine("## Tags");
        md.AppendLine();
        md.AppendLine(model.Tags.Count == 0 ? "_None._" : string.Join(Environment.NewLine, model.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"- {t.Key}: {t.Value}")));
        md.AppendLine();
        md.AppendLine("## Limitations");
        md.AppendLine();
        md.AppendLine("- Valid only for inputs like the training data above: watch the drift reports before trusting predictions on a shifted population.");
        if (model.Dataset is null)
        {
            md.AppendLine("- Without a recorded training dataset, neither data drift nor bias can be assessed against the training population.");
        }

        if (model.Metrics.Count == 0)
        {
            md.AppendLine("- No evaluation metrics were registered: its quality is unmeasured here.");
        }

        if (model.Archived)
        {
            md.AppendLine("- This version is archived and must not be deployed.");
        }

        return md.ToString();
    }

    private static string Shape(ValueSpec value) => value.Shape is null
        ? "-"
        : "[" + string.Join(", ", value.Shape.Select((d, i) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture) : value.DimensionNames?[i] ?? "?")) + "]";

    private static string Number(double? value) => value is null ? string.Empty : value.Value.ToString("G6", CultureInfo.InvariantCulture);
}
