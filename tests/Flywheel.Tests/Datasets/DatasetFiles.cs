using System.Text;

namespace Flywheel.Tests.Datasets;

/// <summary>The real third-party datasets in ../shared/testdata, and small hand-made files for edge cases.</summary>
internal static class DatasetFiles
{
    public static string Shared(string relative) => Testing.SharedTestData.PathOf(Path.Combine("datasets", relative));

    public static string Adult => Shared("adult_census_income/AdultCensusIncomeOriginal.csv");

    public static string Iris => Shared("sklearn_debian/iris.csv");

    public static string Titanic => Shared("titanic_small/small_titanic.csv");

    public static ByteArrayContent Csv(string text) => new(Encoding.UTF8.GetBytes(text));
}
