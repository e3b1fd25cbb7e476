namespace Flywheel.Testing;

/// <summary>The real third-party files in ../shared/testdata (see its PROVENANCE.md), for every test project.</summary>
public static class SharedTestData
{
    /// <summary>A file under ../shared/testdata, found by walking up from the repository.</summary>
    public static string PathOf(string relative)
    {
        for (var dir = new DirectoryInfo(RepositoryRoot.Path); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata", relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Test data {relative} not found beside the repository (../shared/testdata).");
    }
}

/// <summary>The real third-party ONNX models in ../shared/testdata/models.</summary>
public static class SharedModels
{
    /// <summary>The model's <c>model.onnx</c>; its upstream test sets sit beside it.</summary>
    public static string PathOf(string model) => SharedTestData.PathOf(Path.Combine("models", model, "model.onnx"));
}
