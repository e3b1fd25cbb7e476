using Flywheel.Testing;

namespace Flywheel.Infrastructure.Tests;

public sealed class WorkflowTests
{
    private static string Read(string path) => File.ReadAllText(Path.Combine(RepositoryRoot.Path, path));

    [Fact]
    public void Ci_runs_the_same_test_script_on_every_push_and_that_script_builds_the_real_functions_project()
    {
        var ci = Read(".github/workflows/ci.yml");
        var filter = Read("Flywheel.Local.slnf");

        Assert.Contains("push:", ci, StringComparison.Ordinal);
        Assert.Contains("run: scripts/test.sh", ci, StringComparison.Ordinal);
        Assert.Contains("global-json-file:", ci, StringComparison.Ordinal);
        Assert.Contains("dotnet build Flywheel.Local.slnf", Read("scripts/test.sh"), StringComparison.Ordinal);
        Assert.Contains(@"src\\Flywheel.Functions\\Flywheel.Functions.csproj", filter, StringComparison.Ordinal);
    }

    [Fact]
    public void Deploy_signs_in_with_federated_credentials_only_after_a_green_ci_run_on_main()
    {
        var deploy = Read(".github/workflows/azure-dev.yml");

        Assert.Contains("id-token: write", deploy, StringComparison.Ordinal);
        Assert.Contains("--federated-credential-provider github", deploy, StringComparison.Ordinal);
        Assert.Contains("branches: [main]", deploy, StringComparison.Ordinal);
        Assert.Contains("workflow_run.conclusion == 'success'", deploy, StringComparison.Ordinal);
        Assert.Contains("azd provision --no-prompt", deploy, StringComparison.Ordinal);
        Assert.Contains("azd deploy --no-prompt", deploy, StringComparison.Ordinal);
        Assert.DoesNotContain("secrets.AZURE_CLIENT_SECRET", deploy, StringComparison.Ordinal);
    }
}
