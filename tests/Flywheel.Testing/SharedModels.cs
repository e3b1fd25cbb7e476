namespace Flywheel.Testing;

/// <summary>The real third-party ONNX models in ../shared/testdata/models (see its PROVENANCE.md), for every test project.</summary>
public static class SharedModels
{
    /// <summary>The model's <c>model.onnx</c>; its upstream test sets sit beside it.</summary>
    public static string PathOf(string model)
    {
        for (var dir = new DirectoryInfo(RepositoryRoot.Path); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata", "models", model, "model.onnx");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Model {model} not found beside the repository (../shared/testdata/models).");
    }
}
