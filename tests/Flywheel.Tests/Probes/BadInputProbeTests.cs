using System.Net;
using System.Text;
using Flywheel.Tests.Datasets;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Probes;

/// <summary>
/// The bad-input probe: one request of every class of mistake found so far, sent to a LocalHost
/// holding a dataset (with a contract), a model with an alias and a deployment. Every answer must
/// be a 4xx, and afterwards every blob and table row must be exactly as before (same ETags).
/// </summary>
public sealed class BadInputProbeTests
{
    private static readonly byte[] s_invalidUtf8 = [.. "{\"records\": [{\"k\": \""u8, 0xC3, 0x28, .. "\"}]}"u8];

    private static IEnumerable<(string Class, HttpMethod Method, string Url, byte[] Body, string? ContentType)> Probes()
    {
        static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
        const string Json = "application/json";
        // Storage limits.
        yield return ("contract-over-8MiB", HttpMethod.Put, "api/datasets/probe/contract", B($"{{\"columns\": {{\"a\": {{\"allowed\": [\"{new string('x', 9 << 20)}\"]}}}}}}"), Json);
        yield return ("description-over-limit", HttpMethod.Patch, "api/models/probe/versions/1", B($"{{\"description\": \"{new string('d', 100_000)}\"}}"), Json);
        yield return ("too-many-tags", HttpMethod.Patch, "api/models/probe/versions/1", B("{\"tags\": {" + string.Join(',', Enumerable.Range(0, 2000).Select(i => $"\"k{i}\": \"v\"")) + "}}"), Json);
        yield return ("long-column-name", HttpMethod.Put, "api/datasets/probe", B($"a,{new string('c', 70_000)}\n1,2\n"), null);
        // Encoding and syntax.
        yield return ("invalid-utf8-predict", HttpMethod.Post, "api/models/probe/predict", s_invalidUtf8, Json);
        yield return ("invalid-utf8-feedback", HttpMethod.Post, "api/models/probe/feedback", s_invalidUtf8, Json);
        yield return ("truncated-json", HttpMethod.Put, "api/models/probe/deployment", B("{\"routes\": [{\"version\": 1"), Json);
        yield return ("utf16-csv", HttpMethod.Put, "api/datasets/probe", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("a\n1\n")], null);
        yield return ("header-only-csv", HttpMethod.Put, "api/datasets/probe", B("a,b\n"), null);
        yield return ("empty-body-contract", HttpMethod.Put, "api/datasets/probe/contract", [], Json);
        // Unknown keys, wrong JSON types, contradictions.
        yield return ("misspelt-contract", HttpMethod.Put, "api/datasets/probe/contract", B("{\"colums\": {\"a\": {}}, \"minRow\": 1}"), Json);
        yield return ("contract-empty-allowed", HttpMethod.Put, "api/datasets/probe/contract", B("{\"columns\": {\"a\": {\"allowed\": []}}}"), Json);
        yield return ("contract-range-on-string", HttpMethod.Put, "api/datasets/probe/contract", B("{\"columns\": {\"a\": {\"type\": \"string\", \"max\": 3}}}"), Json);
        yield return ("contract-for-no-dataset", HttpMethod.Put, "api/datasets/nothing-here/contract", B("{\"minRows\": 1}"), Json);
        yield return ("contract-null-in-array", HttpMethod.Put, "api/datasets/probe/contract", B("{\"missingMarkers\": [\"\", null]}"), Json);
        yield return ("contract-null-rule", HttpMethod.Put, "api/datasets/probe/contract", B("{\"columns\": {\"a\": null}}"), Json);
        yield return ("contract-nan", HttpMethod.Put, "api/datasets/probe/contract", B("{\"maxMissingRate\": \"NaN\"}"), Json);
        yield return ("deployment-wrong-type", HttpMethod.Put, "api/models/probe/deployment", B("{\"routes\": [{\"version\": \"one\", \"weight\": 1}]}"), Json);
        yield return ("deployment-unknown-key", HttpMethod.Put, "api/models/probe/deployment", B("{\"routes\": [{\"version\": 1, \"weight\": 1}], \"shadows\": {}}"), Json);
        yield return ("deployment-version-zero", HttpMethod.Put, "api/models/probe/deployment", B("{\"routes\": [{\"version\": 0, \"weight\": 1}]}"), Json);
        yield return ("deployment-unknown-version", HttpMethod.Put, "api/models/probe/deployment", B("{\"routes\": [{\"version\": 9, \"weight\": 1}]}"), Json);
        yield return ("deployment-unknown-alias", HttpMethod.Put, "api/models/probe/deployment", B("{\"routes\": [{\"version\": \"staging\", \"weight\": 1}]}"), Json);
        yield return ("deployment-bad-alias-text", HttpMethod.Put, "api/models/probe/deployment", B("{\"routes\": [{\"version\": \"Champion!\", \"weight\": 1}]}"), Json);
        yield return ("deployment-fractional-version", HttpMethod.Put, "api/models/probe/deployment", B("{\"routes\": [{\"version\": 1.5, \"weight\": 1}]}"), Json);
        yield return ("deployment-shadow-unknown-alias", HttpMethod.Put, "api/models/probe/deployment", B("{\"routes\": [{\"version\": \"champion\", \"weight\": 1}], \"shadow\": {\"version\": \"staging\", \"sample\": 1}}"), Json);
        yield return ("delete-alias-a-deployment-follows", HttpMethod.Delete, "api/models/probe/aliases/champion", [], null);
        yield return ("delete-deployment-of-no-model", HttpMethod.Delete, "api/models/nothing-here/deployment", [], null);
        yield return ("training-unknown-dataset-version", HttpMethod.Post, "api/pipelines/training", B("{\"model\": \"probe\", \"dataset\": \"probe\", \"label\": \"b\", \"datasetVersion\": \"staging\"}"), Json);
        yield return ("training-dataset-version-zero", HttpMethod.Post, "api/pipelines/training", B("{\"model\": \"probe\", \"dataset\": \"probe\", \"label\": \"b\", \"datasetVersion\": 0}"), Json);
        yield return ("training-gate-negative-rows", HttpMethod.Post, "api/pipelines/training", B("{\"model\": \"probe\", \"dataset\": \"probe\", \"label\": \"b\", \"gate\": {\"minRows\": -1}}"), Json);
        yield return ("training-split-order-by-unknown", HttpMethod.Post, "api/pipelines/training", B("{\"model\": \"probe\", \"dataset\": \"probe\", \"label\": \"b\", \"split\": {\"orderBy\": \"when\"}}"), Json);
        yield return ("batch-unknown-model-alias", HttpMethod.Post, "api/models/probe/batch-predictions", B("{\"dataset\": \"probe\", \"modelVersion\": \"staging\"}"), Json);
        yield return ("drift-run-unknown-alias", HttpMethod.Post, "api/models/probe/drift/run", B("{\"version\": \"staging\"}"), Json);
        yield return ("monitoring-recent-both", HttpMethod.Put, "api/models/probe/monitoring", B("{\"recent\": {\"rows\": 10, \"column\": \"a\", \"window\": \"P1D\"}}"), Json);
        yield return ("monitoring-recent-not-a-date", HttpMethod.Put, "api/models/probe/monitoring", B("{\"reference\": {\"dataset\": \"probe\", \"version\": 1}, \"recent\": {\"column\": \"a\", \"window\": \"P1D\"}}"), Json);
        yield return ("monitoring-drift-share-over-one", HttpMethod.Put, "api/models/probe/monitoring", B("{\"driftShare\": 1.5}"), Json);
        yield return ("training-negative-seed", HttpMethod.Post, "api/pipelines/training", B("{\"model\": \"probe\", \"dataset\": \"probe\", \"label\": \"b\", \"seed\": -42}"), Json);
        yield return ("training-path-dataset-name", HttpMethod.Post, "api/pipelines/training", B("{\"model\": \"probe\", \"dataset\": \"../x\", \"label\": \"b\"}"), Json);
        yield return ("saved-training-negative-seed", HttpMethod.Put, "api/models/probe/training", B("{\"dataset\": \"probe\", \"label\": \"b\", \"seed\": -1}"), Json);
        yield return ("drift-run-threshold-zero", HttpMethod.Post, "api/models/probe/drift/run", B("{\"threshold\": 0}"), Json);
        yield return ("drift-run-threshold-negative", HttpMethod.Post, "api/models/probe/drift/run", B("{\"threshold\": -0.5}"), Json);
        yield return ("drift-run-bad-format", HttpMethod.Post, "api/models/probe/drift/run?format=xml", B("{}"), Json);
        yield return ("drift-run-method-misfit", HttpMethod.Post, "api/models/probe/drift/run", B("{\"method\": \"ks\"}"), Json);
        yield return ("dataset-drift-threshold-zero", HttpMethod.Get, "api/datasets/probe/drift?reference=1&threshold=0", [], null);
        yield return ("monitoring-reference-path-name", HttpMethod.Put, "api/models/probe/monitoring", B("{\"reference\": {\"dataset\": \"../x\", \"version\": 1}}"), Json);
        yield return ("monitoring-reference-upper-name", HttpMethod.Put, "api/models/probe/monitoring", B("{\"reference\": {\"dataset\": \"Probe\", \"version\": 1}}"), Json);
        yield return ("monitoring-method-misfit-categorical", HttpMethod.Put, "api/models/probe/monitoring", B("{\"reference\": {\"dataset\": \"probe\", \"version\": 1}, \"features\": [\"b\"], \"methods\": {\"b\": \"ks\"}}"), Json);
        yield return ("monitoring-method-misfit-kind-key", HttpMethod.Put, "api/models/probe/monitoring", B("{\"reference\": {\"dataset\": \"probe\", \"version\": 1}, \"features\": [\"b\"], \"methods\": {\"categorical\": \"wasserstein\"}}"), Json);
        yield return ("monitoring-features-not-in-reference", HttpMethod.Put, "api/models/probe/monitoring", B("{\"reference\": {\"dataset\": \"probe\", \"version\": 1}, \"features\": [\"nope\"]}"), Json);
        yield return ("alias-overflow", HttpMethod.Put, "api/models/probe/aliases/champion", B("{\"version\": 99999999999}"), Json);
        yield return ("alias-null", HttpMethod.Put, "api/models/probe/aliases/champion", B("{\"version\": null}"), Json);
        yield return ("batch-unknown-key", HttpMethod.Post, "api/models/probe/batch-predictions", B("{\"dataset\": \"probe\", \"chunks\": 3}"), Json);
        // Names and references.
        yield return ("lineage-path-name", HttpMethod.Post, "api/models/probe/versions", [], "multipart");
        yield return ("invalid-route-name", HttpMethod.Put, "api/datasets/UPPER", B("a\n1\n"), null);
        yield return ("long-file-name", HttpMethod.Put, "api/datasets/probe", B("a,b\n2,y\n"), "file-name");
        yield return ("unknown-alias-predict", HttpMethod.Post, "api/models/probe/versions/staging/predict", B("{\"instances\": [[1, 2, 3, 4]]}"), Json);
        yield return ("bad-version-text", HttpMethod.Post, "api/models/probe/versions/1.5/predict", B("{\"instances\": [[1, 2, 3, 4]]}"), Json);
        yield return ("bad-continuation-token", HttpMethod.Get, "api/models?continuationToken=garbage", [], null);
        yield return ("unknown-query-parameter", HttpMethod.Get, "api/models?name=probe", [], null);
        yield return ("unknown-query-parameter-predict", HttpMethod.Post, "api/models/probe/predict?version=2", B("{\"instances\": [[1, 2, 3, 4]]}"), Json);
        // Pipeline events, listings' tokens, duplicate keys, runs filters.
        yield return ("event-approval-other-case", HttpMethod.Post, "api/pipelines/probe-run/events/Approval", B("{\"approved\": \"yes\"}"), Json);
        yield return ("foreign-token-model-history", HttpMethod.Get, $"api/models/probe/history?continuationToken={TokenOf("/api/models")}", [], null);
        yield return ("foreign-token-models", HttpMethod.Get, $"api/models?continuationToken={TokenOf("/api/models/probe/history")}", [], null);
        yield return ("foreign-token-model", HttpMethod.Get, $"api/models/probe?continuationToken={TokenOf("/api/models/other")}", [], null);
        yield return ("foreign-token-drift-history", HttpMethod.Get, $"api/models/probe/drift/history?continuationToken={TokenOf("/api/models")}", [], null);
        yield return ("foreign-token-runs", HttpMethod.Get, $"api/runs?continuationToken={TokenOf("/api/runs", "?model=other")}", [], null);
        yield return ("foreign-token-pipelines", HttpMethod.Get, $"api/pipelines?name=a&continuationToken={TokenOf("/api/pipelines", "?name=b")}", [], null);
        yield return ("duplicate-key-contract", HttpMethod.Put, "api/datasets/probe/contract", B("{\"minRows\": 1, \"minRows\": 2}"), Json);
        yield return ("duplicate-key-deployment", HttpMethod.Put, "api/models/probe/deployment", B("{\"routes\": [{\"version\": 1, \"weight\": 1, \"weight\": 0}]}"), Json);
        yield return ("duplicate-key-training", HttpMethod.Post, "api/pipelines/training", B("{\"model\": \"probe\", \"model\": \"x\", \"dataset\": \"probe\", \"label\": \"b\"}"), Json);
        yield return ("duplicate-key-monitoring", HttpMethod.Put, "api/models/probe/monitoring", B("{\"driftShare\": 0.5, \"driftShare\": 0.6}"), Json);
        yield return ("duplicate-key-predict", HttpMethod.Post, "api/models/probe/predict", B("{\"records\": [{\"float_input\": [1, 2, 3, 4], \"float_input\": [5, 6, 7, 8]}]}"), Json);
        yield return ("duplicate-key-infer", HttpMethod.Post, "v2/models/probe/infer", B("{\"inputs\": [{\"name\": \"float_input\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4], \"data\": [5, 6, 7, 8]}]}"), Json);
        yield return ("duplicate-key-feedback", HttpMethod.Post, "api/models/probe/feedback", B("{\"requestId\": \"a\", \"requestId\": \"b\", \"actual\": 1}"), Json);
        yield return ("runs-filter-dangling-and", HttpMethod.Get, $"api/runs?filter={Uri.EscapeDataString("attributes.model = 'a and b' and")}", [], null);
        // Serving input.
        yield return ("oip-shape-overflow", HttpMethod.Post, "v2/models/probe/infer", B("{\"inputs\": [{\"name\": \"float_input\", \"shape\": [4294967296, 4294967296], \"datatype\": \"FP32\", \"data\": [1]}]}"), Json);
        yield return ("predict-1e400", HttpMethod.Post, "api/models/probe/predict", B("{\"instances\": [[1e400, 2, 3, 4]]}"), Json);
        yield return ("predict-extra-column", HttpMethod.Post, "api/models/probe/predict", B("{\"records\": [{\"float_input\": [1, 2, 3, 4], \"label\": 0}]}"), Json);
        yield return ("extra-columns-unknown-value", HttpMethod.Post, "api/models/probe/predict?extraColumns=drop", B("{\"records\": [{\"float_input\": [1, 2, 3, 4]}]}"), Json);
        yield return ("extra-columns-contradiction", HttpMethod.Post, "api/models/probe/predict?extraColumns=reject", B("{\"extraColumns\": \"ignore\", \"records\": [{\"float_input\": [1, 2, 3, 4]}]}"), Json);
        yield return ("extra-columns-by-position", HttpMethod.Post, "api/models/probe/predict?extraColumns=ignore", B("{\"records\": [{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4, \"label\": 0}]}"), Json);
        yield return ("csv-unterminated-quote", HttpMethod.Post, "api/models/probe/predict", B("a,b,c,d\n1,2,3,\"4\n"), "text/csv");
        yield return ("csv-ragged-row", HttpMethod.Post, "api/models/probe/predict", B("a,b,c,d\n1,2,3\n"), "text/csv");
        yield return ("csv-header-only", HttpMethod.Post, "api/models/probe/predict", B("a,b,c,d\n"), "text/csv");
        yield return ("csv-not-utf8", HttpMethod.Post, "api/models/probe/versions/1/predict", [.. "a,b,c,d\n1,2,3,"u8, 0xC3, 0x28, (byte)'\n'], "text/csv");
        yield return ("csv-json-inside", HttpMethod.Post, "api/models/probe/predict", B("{\"instances\": [[1, 2, 3, 4]]}"), "text/csv");
        yield return ("feedback-placeholder-id", HttpMethod.Post, "api/models/probe/feedback", B("{\"requestId\": \"<X-Request-Id>\", \"actual\": 1}"), Json);
        yield return ("feedback-unknown-model", HttpMethod.Post, "api/models/nothing-here/feedback", B("{\"requestId\": \"abc\", \"actual\": 1}"), Json);
        yield return ("two-file-parts", HttpMethod.Post, "api/models/probe/versions", [], "multipart-two-files");
        // Columns bound by position, unusable registration metadata, values beyond their type.
        yield return ("records-without-feature-names", HttpMethod.Post, "api/models/probe/predict", B("{\"records\": [{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}]}"), Json);
        yield return ("reordered-records-without-feature-names", HttpMethod.Post, "api/models/probe/versions/1/predict", B("{\"records\": [{\"d\": 4, \"c\": 3, \"b\": 2, \"a\": 1}]}"), Json);
        yield return ("dataframe-split-without-feature-names", HttpMethod.Post, "api/models/probe/predict", B("{\"dataframe_split\": {\"columns\": [\"p\", \"q\", \"r\", \"s\"], \"data\": [[1, 2, 3, 4]]}}"), Json);
        yield return ("csv-without-feature-names", HttpMethod.Post, "api/models/probe/predict", B("a,b,c,d\n1,2,3,4\n"), "text/csv");
        yield return ("batch-without-feature-names", HttpMethod.Post, "api/models/probe/batch-predictions", B("{\"dataset\": \"probe\"}"), Json);
        yield return ("batch-columns-wrong-count", HttpMethod.Post, "api/models/probe/batch-predictions", B("{\"dataset\": \"probe\", \"columns\": [\"a\", \"b\"]}"), Json);
        yield return ("batch-columns-repeated", HttpMethod.Post, "api/models/probe/batch-predictions", B("{\"dataset\": \"probe\", \"columns\": [\"a\", \"a\", \"b\", \"b\"]}"), Json);
        yield return ("feature-names-wrong-count", HttpMethod.Post, "api/models/probe/versions", B("{\"featureNames\": [\"a\", \"b\", \"c\"]}"), "multipart-metadata");
        yield return ("feature-names-repeated", HttpMethod.Post, "api/models/probe/versions", B("{\"featureNames\": [\"a\", \"b\", \"a\", \"c\"]}"), "multipart-metadata");
        yield return ("model-without-inputs", HttpMethod.Post, "api/models/probe/versions",
            new Serving.OnnxGraph(null, width: 1, opset: 13).Node("Constant", string.Empty, "y", ("value_int", 7)).TensorOutput("y", Serving.OnnxGraph.Int64).ToBytes(), "application/octet-stream");
        yield return ("oip-fp32-beyond-range", HttpMethod.Post, "v2/models/probe/infer", B("{\"inputs\": [{\"name\": \"float_input\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1e39, 1, 1, 1]}]}"), Json);
        yield return ("records-input-beyond-range", HttpMethod.Post, "api/models/probe/predict", B("{\"records\": [{\"float_input\": [1, 2, 3, -1e39]}]}"), Json);
    }

    [Fact]
    public async Task Every_class_of_bad_input_is_a_4xx_and_changes_nothing_stored()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await DatasetApiTests.PutAsync(client, "probe", "a,b\n1,x\n"u8.ToArray(), "probe.csv")).Status);
        Assert.Equal(HttpStatusCode.OK, (await DatasetHardeningTests.PutJsonAsync(client, "api/datasets/probe/contract", "{\"columns\": {\"a\": {\"type\": \"integer\"}}}")).Status);
        await ModelFiles.RegisterAsync(client, "probe", ModelFiles.IrisZipMap);
        Assert.Equal(HttpStatusCode.OK, (await DatasetHardeningTests.PutJsonAsync(client, "api/models/probe/aliases/champion", "{\"version\": 1}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await DatasetHardeningTests.PutJsonAsync(client, "api/models/probe/deployment", "{\"routes\": [{\"version\": \"champion\", \"weight\": 1}]}")).Status);
        var before = await StorageSnapshot.TakeAsync(app);

        var answers = new List<string>();
        foreach (var (name, method, url, body, contentType) in Probes())
        {
            using var request = new HttpRequestMessage(method, url) { Content = Content(body, contentType) };
            using var response = await client.SendAsync(request);
            answers.Add($"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.All(answers, answer => Assert.Matches(@"^[\w-]+: 4\d\d ", answer));
        Assert.Equal(before, await StorageSnapshot.TakeAsync(app));
    }

    /// <summary>A genuine continuation token, as the list at <paramref name="path"/> (with <paramref name="query"/>) hands out: foreign to any other list.</summary>
    private static string TokenOf(string path, string query = "")
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Path = path;
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString(query.Length == 0 ? null : query);
        return Uri.EscapeDataString(Flywheel.Api.Paging.Encode(context.Request, "1!4!MQ--")!);
    }

    private static HttpContent? Content(byte[] body, string? contentType)
    {
        if (contentType == "multipart")
        {
            return new MultipartFormDataContent
            {
                { new ByteArrayContent(ModelFiles.Bytes(ModelFiles.IrisZipMap)), "file", "model.onnx" },
                { new StringContent("{\"dataset\": {\"name\": \"../x\", \"version\": 1}}", Encoding.UTF8, "application/json"), "metadata" },
            };
        }

        if (contentType == "multipart-two-files")
        {
            return new MultipartFormDataContent
            {
                { new ByteArrayContent(ModelFiles.Bytes(ModelFiles.IrisZipMap)), "file", "a.onnx" },
                { new ByteArrayContent(ModelFiles.Bytes(ModelFiles.TitanicPipeline)), "file", "b.onnx" },
            };
        }

        if (contentType == "multipart-metadata")
        {
            // New bytes (the iris forest is already version 1), so the registration reaches the metadata checks.
            return new MultipartFormDataContent
            {
                { new ByteArrayContent(ModelFiles.IrisSecondVersion()), "file", "model.onnx" },
                { new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } }, "metadata" },
            };
        }

        var content = new ByteArrayContent(body);
        if (contentType == "file-name")
        {
            content.Headers.Add("X-File-Name", new string('f', 5000));
        }
        else if (contentType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        return content;
    }
}
