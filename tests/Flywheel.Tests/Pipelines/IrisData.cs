using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Flywheel.Tests.Datasets;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Pipelines;

/// <summary>The iris rows of the shared sklearn CSV under named columns, repeated to any length, and the iris random forest registered to score them.</summary>
internal static class IrisData
{
    public static readonly string[] Features = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    public static string Csv(int rows)
    {
        var source = File.ReadAllLines(DatasetFiles.Iris).Skip(1).Where(l => l.Length > 0).ToArray();
        var csv = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width,species\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(source[i % source.Length]).Append('\n');
        }

        return csv.ToString();
    }

    public static async Task UploadAsync(HttpClient client, string dataset, int rows)
    {
        using var content = DatasetFiles.Csv(Csv(rows));
        using var response = await client.PutAsync(new Uri($"api/datasets/{dataset}", UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The dataset <c>flowers</c> of <paramref name="rows"/> iris rows and the model <c>iris</c> that scores them.</summary>
    public static async Task SeedAsync(HttpClient client, int rows)
    {
        await UploadAsync(client, "flowers", rows);
        await RegisterModelAsync(client, "iris");
    }

    /// <summary>Registers the iris forest with its feature order, so records (and dataset rows) bind by column name.</summary>
    public static async Task RegisterModelAsync(HttpClient client, string model)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(ModelFiles.Bytes(ModelFiles.IrisZipMap));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "model.onnx");
        form.Add(new StringContent(JsonSerializer.Serialize(new { featureNames = Features }), Encoding.UTF8, "application/json"), "metadata");
        using var response = await client.PostAsync(new Uri($"api/models/{model}/versions", UriKind.Relative), form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
