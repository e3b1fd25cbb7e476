using System.Globalization;
using System.Text;
using Flywheel.Testing;

namespace Flywheel.EndToEnd.Tests.Scenarios;

/// <summary>The real third-party files in ../shared/testdata (see its PROVENANCE.md), and slices of them.</summary>
internal static class TestFiles
{
    public static byte[] Model(string name) => File.ReadAllBytes(SharedModels.PathOf(name));

    public static string IrisModel => SharedModels.PathOf("01_skl2onnx_rf_iris_zipmap");

    public static string TitanicModel => SharedModels.PathOf("03_skl2onnx_titanic_pipeline_nozipmap");

    /// <summary>The header and the first <paramref name="rows"/> rows of the Adult census file.</summary>
    public static byte[] Adult(int rows) => Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(Dataset("adult_census_income/AdultCensusIncomeOriginal.csv")).Take(rows + 1)) + "\n");

    public static byte[] Titanic => File.ReadAllBytes(Dataset("titanic_small/small_titanic.csv"));

    /// <summary>Iris-shaped rows (the four features), the same on every call.</summary>
    public static byte[] Iris(int rows)
    {
        var csv = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{4.3 + (i % 36) * 0.1:0.0},{2.0 + (i % 24) * 0.1:0.0},{1.0 + (i % 59) * 0.1:0.0},{0.1 + (i % 25) * 0.1:0.0}\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    public static string Dataset(string relative) => SharedTestData.PathOf(Path.Combine("datasets", relative));
}
