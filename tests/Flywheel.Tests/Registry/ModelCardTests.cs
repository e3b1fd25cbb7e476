using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Flywheel.Onnx;
using Flywheel.Tests.Datasets;
using Flywheel.Tests.Training;

namespace Flywheel.Tests.Registry;

/// <summary>The model card over HTTP: Markdown or HTML, a report link that resolves, each dataset column's role, the producer as the file states it (for a model trained here, this build).</summary>
public sealed partial class ModelCardTests
{
    private static readonly string[] s_titanicFeatures = ["pclass", "sex", "age", "fare", "embarked"];

    [Fact]
    public async Task The_card_is_markdown_unless_html_is_asked_for_by_query_or_accept_header()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await RegisterTitanicPipelineAsync(client, "card-formats");
        const string card = "api/models/card-formats/versions/1/card";

        using var plain = await client.GetAsync(new Uri(card, UriKind.Relative));
        using var query = await client.GetAsync(new Uri(card + "?format=html", UriKind.Relative));
        using var browser = await GetAsync(client, card, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var explicitMarkdown = await GetAsync(client, card + "?format=markdown", "text/html");
        using var wrong = await client.GetAsync(new Uri(card + "?format=pdf", UriKind.Relative));

        Assert.Equal("text/markdown", plain.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("# Model card: card-formats v1", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/html", query.Content.Headers.ContentType?.MediaType);
        var html = await query.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Model card: card-formats v1</h1>", html, StringComparison.Ordinal);
        Assert.Equal("text/html", browser.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", browser.Headers.Vary);
        Assert.Equal("text/markdown", explicitMarkdown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("format must be markdown or html", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_card_of_a_model_made_elsewhere_marks_its_inputs_as_features_and_the_other_columns_as_excluded()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await RegisterTitanicPipelineAsync(client, "card-elsewhere");

        var html = await client.GetStringAsync(new Uri("api/models/card-elsewhere/versions/1/card?format=html", UriKind.Relative));
        var markdown = await client.GetStringAsync(new Uri("api/models/card-elsewhere/versions/1/card", UriKind.Relative));

        foreach (var feature in s_titanicFeatures)
        {
            Assert.Contains($"<tr data-column=\"{feature}\" data-role=\"feature\"", html, StringComparison.Ordinal);
        }

        // The label of a model trained elsewhere is not recorded: survived is only known not to be an input.
        Assert.Contains("<tr data-column=\"survived\" data-role=\"excluded\"", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-column=\"name\" data-role=\"excluded\"", html, StringComparison.Ordinal);
        Assert.Contains("Label: not recorded (the model was not trained here)", markdown, StringComparison.Ordinal);
        Assert.Contains("| name | excluded |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_producer_is_what_the_onnx_header_states()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        await RegisterTitanicPipelineAsync(client, "card-producer");

        var header = OnnxModelHeader.Read(await client.GetByteArrayAsync(new Uri("api/models/card-producer/versions/1/content", UriKind.Relative)));
        var markdown = await client.GetStringAsync(new Uri("api/models/card-producer/versions/1/card", UriKind.Relative));
        var html = await client.GetStringAsync(new Uri("api/models/card-producer/versions/1/card?format=html", UriKind.Relative));

        Assert.Equal(("skl2onnx", "1.11.2"), (header.ProducerName, header.ProducerVersion));
        Assert.Contains($"| Producer | `{header.ProducerName}` version `{header.ProducerVersion}` (producer_name and producer_version in the ONNX file) |", markdown, StringComparison.Ordinal);
        Assert.Contains($"<tr id=\"producer\"><th>Producer</th><td><code>{header.ProducerName}</code> version <code>{header.ProducerVersion}</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_card_of_a_trained_version_links_a_report_that_loads_and_marks_the_label_and_the_excluded_columns()
    {
        await using var app = await TrainingPipelineTests.TitanicAppAsync();
        using var client = app.CreateClient();
        await TrainingPipelineTests.TrainAsync(client, """{"model": "card-trained", "dataset": "titanic", "label": "survived", "features": ["pclass", "sex", "age", "fare", "embarked"], "trials": 3}""");
        var card = new Uri(client.BaseAddress!, "api/models/card-trained/versions/1/card");

        var html = await client.GetStringAsync(new Uri(card + "?format=html"));
        var markdown = await client.GetStringAsync(card);
        var header = OnnxModelHeader.Read(await client.GetByteArrayAsync(new Uri(client.BaseAddress!, "api/models/card-trained/versions/1/content")));

        // Followed from the card's own URL, as a browser or a Markdown viewer resolves it.
        foreach (var link in new[] { HtmlReportLink().Match(html).Groups[1].Value, MarkdownReportLink().Match(markdown).Groups[1].Value })
        {
            Assert.False(string.IsNullOrEmpty(link), "no report link");
            using var report = await client.GetAsync(new Uri(card, WebUtility.HtmlDecode(link)));
            Assert.True(report.StatusCode == HttpStatusCode.OK, $"{link} from {card}: {report.StatusCode}");
            Assert.Contains("id=\"leaderboard\"", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Contains("<tr data-column=\"survived\" data-role=\"label\"", html, StringComparison.Ordinal);
        foreach (var feature in s_titanicFeatures)
        {
            Assert.Contains($"<tr data-column=\"{feature}\" data-role=\"feature\"", html, StringComparison.Ordinal);
        }

        foreach (var excluded in new[] { "name", "sibsp", "parch", "ticket", "cabin", "boat", "body", "home.dest" })
        {
            Assert.Contains($"<tr data-column=\"{excluded}\" data-role=\"excluded\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("Label: `survived`. Features: 5 of the 14 columns. Excluded (in the data, not features): `name`, `sibsp`, `parch`, `ticket`, `cabin`, `boat`, `body`, `home.dest`.", markdown, StringComparison.Ordinal);
        Assert.Contains("| survived | **label** |", markdown, StringComparison.Ordinal);

        // ML.NET's converter writes the constant version "0": the export names this build instead, and the card says what the file says.
        Assert.Equal(("Flywheel", FlywheelVersion.Informational), (header.ProducerName, header.ProducerVersion));
        Assert.Matches(@"^\d+\.\d+\.\d+", header.ProducerVersion);
        Assert.Contains($"| Producer | `Flywheel` version `{FlywheelVersion.Informational}` (producer_name and producer_version in the ONNX file) |", markdown, StringComparison.Ordinal);
        Assert.Contains($"<tr id=\"producer\"><th>Producer</th><td><code>Flywheel</code> version <code>{WebUtility.HtmlEncode(FlywheelVersion.Informational)}</code>", html, StringComparison.Ordinal);
    }

    private static async Task RegisterTitanicPipelineAsync(HttpClient client, string model)
    {
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "titanic", File.ReadAllBytes(DatasetFiles.Titanic), "titanic.csv")).Status);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(ModelFiles.Bytes(ModelFiles.TitanicPipeline)), "file", "model.onnx" },
            { new StringContent("""{"description": "Titanic survival", "dataset": {"name": "titanic", "version": 1}}""", Encoding.UTF8, "application/json"), "metadata" },
        };
        using var response = await client.PostAsync(new Uri($"api/models/{model}/versions", UriKind.Relative), form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return await client.SendAsync(request);
    }

    [GeneratedRegex("<a id=\"training-report\" href=\"([^\"]+)\"")]
    private static partial Regex HtmlReportLink();

    [GeneratedRegex(@"\[report\]\(([^)]+)\)")]
    private static partial Regex MarkdownReportLink();
}
