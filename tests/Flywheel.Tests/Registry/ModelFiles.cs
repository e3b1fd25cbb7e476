using System.Net;
using System.Net.Http.Headers;

namespace Flywheel.Tests.Registry;

/// <summary>The real third-party ONNX models in ../shared/testdata/models (see its PROVENANCE.md).</summary>
internal static class ModelFiles
{
    public const string IrisZipMap = "01_skl2onnx_rf_iris_zipmap";
    public const string TitanicPipeline = "03_skl2onnx_titanic_pipeline_nozipmap";
    public const string XgboostRegressor = "05_onnxmltools_xgboost_regressor";
    public const string PytorchCnn = "11_pytorch_cifar10_cnn_dynamic_batch";
    public const string CntkMnist = "13_cntk_mnist_opset7";
    public const string LabelEncoder = "14_onnx_backend_label_encoder_string_to_int64";
    public const string UnregisteredCustomOp = "invalid/n1_unregistered_custom_op_mydomain";
    public const string NoOutputs = "invalid/n4_graph_without_outputs";
    public const string GitLfsPointer = "invalid/n6_git_lfs_pointer_not_a_model";

    public static byte[] Bytes(string model) => File.ReadAllBytes(PathOf(model));

    /// <summary>
    /// The iris forest as a second, distinct version: the same graph with an empty <c>graph</c> field
    /// appended (protobuf merges it into the first), so new bytes that score exactly as the original.
    /// </summary>
    public static byte[] IrisSecondVersion() => [.. Bytes(IrisZipMap), 0x3A, 0x00];

    /// <summary>The model's <c>model.onnx</c>; its upstream test sets sit beside it.</summary>
    public static string PathOf(string model) => Testing.SharedModels.PathOf(model);

    /// <summary>Registers <paramref name="model"/> as the next version of <paramref name="name"/> (raw bytes); fails the test unless it succeeds.</summary>
    public static Task<HttpStatusCode> RegisterAsync(HttpClient client, string name, string model) => RegisterAsync(client, name, Bytes(model));

    /// <summary>Registers the ONNX <paramref name="model"/> bytes as the next version of <paramref name="name"/>; fails the test unless it succeeds.</summary>
    public static async Task<HttpStatusCode> RegisterAsync(HttpClient client, string name, byte[] model)
    {
        using var content = new ByteArrayContent(model);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync(new Uri($"api/models/{name}/versions", UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return response.StatusCode;
    }
}
