using System.Globalization;
using Flywheel.Contracts.Datasets;
using Flywheel.Contracts.Registry;
using Flywheel.Registry.Cards;

namespace Flywheel.Registry;

/// <summary>
/// A model card: what the model is for, its interface, how it measured, what it was trained on
/// (which columns were features, which the label, which were left out), where it came from, and
/// what it should not be used for. The governance artifact a reviewer reads without access to the
/// registry, in Markdown (the default: it diffs and pastes into a review) or as one self-contained
/// HTML page for a browser. Both are written from the same sections, so they cannot disagree.
/// </summary>
public static class ModelCard
{
    /// <summary>The card in Markdown.</summary>
    /// <param name="siteRoot">The relative path from the card's own URL to the site root (such as <c>../../../../../</c>), so links to other routes resolve from wherever the card is served.</param>
    public static string Render(ModelVersion model, DatasetVersion? dataset, string siteRoot = "")
    {
        var markdown = new MarkdownCard();
        Write(markdown, model, dataset, siteRoot);
        return markdown.ToString();
    }

    /// <summary>The card as one self-contained HTML page (inline CSS, no script, no external resource).</summary>
    /// <param name="siteRoot">As for <see cref="Render"/>.</param>
    public static string RenderHtml(ModelVersion model, DatasetVersion? dataset, string siteRoot = "")
    {
        ArgumentNullException.ThrowIfNull(model);
        var html = new HtmlCard($"Model card: {model.Model} v{model.Version}");
        Write(html, model, dataset, siteRoot);
        return html.ToString();
    }

    /// <summary>What a dataset column was to the model: a feature, the label, or excluded (in the data, not a feature).</summary>
    public static class Roles
    {
        public const string Feature = "feature";
        public const string Label = "label";
        public const string Excluded = "excluded";
    }

    private static void Write(ICardWriter card, ModelVersion model, DatasetVersion? dataset, string siteRoot)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(siteRoot);
        var c = CultureInfo.InvariantCulture;
        card.Heading(1, $"Model card: {model.Model} v{model.Version}");
        card.Heading(2, "Purpose");
        card.Paragraph(string.IsNullOrWhiteSpace(model.Description) ? [Span.Em("No description was registered.")] : [Span.Raw(model.Description)]);

        List<(string, Span[])> facts =
        [
            ("Version", [Span.Text($"{model.Version}{(model.Archived ? " (archived)" : string.Empty)}")]),
            ("Aliases", [Span.Text(model.Aliases.Count == 0 ? "none" : string.Join(", ", model.Aliases))]),
            ("Registered", [Span.Text(string.Create(c, $"{model.Created:u}{(model.CreatedBy is null ? string.Empty : $" by {model.CreatedBy}")}"))]),
            ("SHA-256", [Span.Code(model.Sha256), Span.Text(string.Create(c, $" ({model.SizeBytes:N0} bytes)"))]),
        ];
        if (model.Signature is { } s)
        {
            facts.Add(("Producer", Producer(s)));
            facts.Add(("ONNX", [Span.Text($"IR {s.IrVersion}; opsets {string.Join(", ", s.OpsetImports.Select(o => $"{(o.Domain.Length == 0 ? "ai.onnx" : o.Domain)} {o.Version}"))}")]));
        }

        card.Facts(facts);

        card.Heading(2, "Signature");
        if (model.Signature is { } signature)
        {
            card.Table(["direction", "name", "type", "shape"],
                new[] { ("input", signature.Inputs), ("output", signature.Outputs) }.SelectMany(d => d.Item2.Select(value =>
                    new CardRow([[Span.Text(d.Item1)], [Span.Code(value.Name)], [Span.Code(value.Type)], [Span.Text(Shape(value))]]))));
            if (model.FeatureNames is { Count: > 0 } features)
            {
                card.Paragraph([Span.Text("Feature order: "), .. Listed(features), Span.Text(".")]);
            }
        }
        else
        {
            card.Paragraph([Span.Em("The signature is not available.")]);
        }

        card.Heading(2, "Metrics");
        if (model.Metrics.Count == 0)
        {
            card.Paragraph([Span.Em("No metrics were registered.")]);
        }
        else
        {
            card.Table(["metric", "value"], model.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new CardRow([[Span.Text(m.Key)], [Span.Text(m.Value.ToString("G6", c))]])));
        }

        card.Heading(2, "Training data");
        if (dataset is null)
        {
            card.Paragraph(model.Dataset is { } reference
                ? [Span.Text("Dataset "), Span.Code(reference.Name), Span.Text($" v{reference.Version} (not found in this registry).")]
                : [Span.Em("No training dataset was registered: the model's provenance is unknown.")]);
        }
        else
        {
            TrainingData(card, model, dataset);
        }

        if (model.Training is { } training)
        {
            card.Heading(2, "Training");
            card.Bullets(
            [
                [Span.Text("Pipeline: "), Span.Code(training.PipelineId), Span.Text(" ("), Span.Link("report", Resolve(siteRoot, training.Report), "training-report"), Span.Text(")")],
                [Span.Text($"Task: {training.Task}; chosen on "), Span.Code(training.Metric), Span.Text(" (test metrics above, on held-out rows)")],
                [Span.Text($"Trainer: {training.Trainer}, seed {training.Seed}")],
                [Span.Text("Parameters: " + (training.Parameters.Count == 0 ? "the trainer's defaults"
                    : string.Join(", ", training.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} = {p.Value.ToString("G6", c)}"))))],
            ]);
            card.Table(["Feature", "Permutation importance"], training.Features.OrderByDescending(f => training.Importance.GetValueOrDefault(f))
                .Select(f => new CardRow([[Span.Text(f)], [Span.Text(training.Importance.GetValueOrDefault(f).ToString("0.000000", c))]])));
        }

        card.Heading(2, "Lineage");
        card.Bullets(
        [
            [Span.Text("Training run: "), .. model.RunId is null ? new[] { Span.Text("not recorded") } : [Span.Code(model.RunId)]],
            [Span.Text("Dataset: "), .. model.Dataset is { } d ? new[] { Span.Code(d.Name), Span.Text($" v{d.Version}") } : [Span.Text("not recorded")]],
            [Span.Text("Artifact: "), Span.Code(model.ContentPath)],
        ]);

        card.Heading(2, "Tags");
        if (model.Tags.Count == 0)
        {
            card.Paragraph([Span.Em("None.")]);
        }
        else
        {
            card.Bullets([.. model.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new[] { Span.Text($"{t.Key}: {t.Value}") })]);
        }

        card.Heading(2, "Limitations");
        List<Span[]> limitations = [[Span.Text("Valid only for inputs like the training data above: watch the drift reports before trusting predictions on a shifted population.")]];
        if (model.Dataset is null)
        {
            limitations.Add([Span.Text("Without a recorded training dataset, neither data drift nor bias can be assessed against the training population.")]);
        }

        if (model.Metrics.Count == 0)
        {
            limitations.Add([Span.Text("No evaluation metrics were registered: its quality is unmeasured here.")]);
        }

        if (model.Archived)
        {
            limitations.Add([Span.Text("This version is archived and must not be deployed.")]);
        }

        card.Bullets(limitations);
    }

    /// <summary>The dataset version with each column's role, so a reviewer sees what the model could not have looked at.</summary>
    private static void TrainingData(ICardWriter card, ModelVersion model, DatasetVersion dataset)
    {
        var c = CultureInfo.InvariantCulture;
        card.Paragraph([Span.Text("Dataset "), Span.Code(dataset.Dataset), Span.Text(string.Create(c, $" v{dataset.Version}: {dataset.Rows:N0} rows, {dataset.ColumnCount} columns, SHA-256 ")),
            Span.Code(dataset.Sha256), Span.Text(", from "), Span.Code(dataset.Source), Span.Text(".")]);
        var columns = dataset.Columns ?? [.. dataset.Profile?.Keys ?? []];
        var role = ColumnRoles(model, columns);
        if (role is null)
        {
            card.Paragraph([Span.Em("Which of these columns the model takes is not recorded (its inputs are not named after them, and no feature names were registered).")]);
        }
        else
        {
            var label = model.Training?.Label;
            var excluded = columns.Where(col => role(col) == Roles.Excluded).ToList();
            card.Paragraph(
            [
                Span.Text("Label: "), .. label is null ? new[] { Span.Text(model.Training is null ? "not recorded (the model was not trained here)" : "not recorded") } : [Span.Code(label)],
                Span.Text(string.Create(c, $". Features: {columns.Count(col => role(col) == Roles.Feature)} of the {columns.Count} columns. Excluded (in the data, not features): ")),
                .. excluded.Count == 0 ? new[] { Span.Text("none") } : Listed(excluded), Span.Text("."),
            ]);
        }

        string[] headers = role is null ? ["column", "type", "missing", "mean", "std", "min", "max"] : ["column", "role", "type", "missing", "mean", "std", "min", "max"];
        card.Table(headers, columns.Where(col => dataset.Profile?.ContainsKey(col) == true).Select(col =>
        {
            var p = dataset.Profile![col];
            var missing = p.Count + p.Missing == 0 ? 0 : (double)p.Missing / (p.Count + p.Missing);
            List<Span[]> cells = [[Span.Text(col)]];
            if (role is not null)
            {
                var r = role(col);
                cells.Add([r == Roles.Label ? Span.Strong(r) : Span.Text(r)]);
            }

            cells.AddRange([[Span.Text(p.Type.ToString().ToLowerInvariant())], [Span.Text(missing.ToString("P1", c))], [Span.Text(Number(p.Mean))], [Span.Text(Number(p.Std))],
                [Span.Text(Convert.ToString(p.Min, c) ?? string.Empty)], [Span.Text(Convert.ToString(p.Max, c) ?? string.Empty)]]);
            return new CardRow(cells, col, role?.Invoke(col));
        }));
    }

    /// <summary>
    /// Each column's role, or null when the card cannot know which columns are features: a version
    /// Flywheel trained records its features and label; for one made elsewhere the features are its
    /// registered feature order (single-tensor models) or its inputs, and the label is unknown.
    /// </summary>
    private static Func<string, string>? ColumnRoles(ModelVersion model, IReadOnlyList<string> columns)
    {
        var features = model.Training?.Features
            ?? (model.Signature is { Inputs.Count: 1 } && model.FeatureNames is { Count: > 0 } names ? names : model.Signature?.Inputs.Select(i => i.Name).ToList());
        if (features is null || !features.Any(columns.Contains))
        {
            return null;
        }

        var set = features.ToHashSet(StringComparer.Ordinal);
        var label = model.Training?.Label;
        return column => column == label ? Roles.Label : set.Contains(column) ? Roles.Feature : Roles.Excluded;
    }

    /// <summary>The producer fields as the ONNX file's header states them: a model trained here names Flywheel and its build (<see cref="OnnxProducer"/>); for others the card shows what their tool wrote rather than guess.</summary>
    private static Span[] Producer(ModelSignature signature) =>
    [
        signature.ProducerName is { Length: > 0 } name ? Span.Code(name) : Span.Text("not stated"),
        .. signature.ProducerVersion is { Length: > 0 } version ? new[] { Span.Text(" version "), Span.Code(version) } : [Span.Text(", no version stated")],
        Span.Text(" (producer_name and producer_version in the ONNX file)"),
    ];

    /// <summary>A site-relative path (as a training record stores its report) made relative to the card's URL; absolute ones as they are.</summary>
    private static string Resolve(string siteRoot, string path) =>
        path.StartsWith('/') || Uri.TryCreate(path, UriKind.Absolute, out _) ? path : siteRoot + path;

    private static IEnumerable<Span> Listed(IEnumerable<string> names) =>
        names.SelectMany((name, i) => i == 0 ? new[] { Span.Code(name) } : [Span.Text(", "), Span.Code(name)]);

    private static string Shape(ValueSpec value) => value.Shape is null
        ? "-"
        : "[" + string.Join(", ", value.Shape.Select((d, i) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture) : value.DimensionNames?[i] ?? "?")) + "]";

    private static string Number(double? value) => value is null ? string.Empty : value.Value.ToString("G6", CultureInfo.InvariantCulture);
}
