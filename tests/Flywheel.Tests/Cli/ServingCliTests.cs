using Flywheel.Cli;
using Flywheel.Contracts;
using Flywheel.Contracts.Registry;
using Flywheel.Tests.Clients;
using Flywheel.Tests.Datasets;
using Flywheel.Tests.Registry;

namespace Flywheel.Tests.Cli;

/// <summary><c>flywheel batch</c> and <c>flywheel deploy</c>: offline scoring to a file, and traffic routes read back through the API.</summary>
public sealed class ServingCliTests
{
    [Fact]
    public async Task Batch_with_out_waits_for_the_run_and_downloads_one_csv_row_per_dataset_row()
    {
        await using var app = new FlywheelApp(new Dictionary<string, string?> { ["Flywheel:LocalEngine:Enabled"] = "true" });
        using (var client = app.CreateClient())
        {
            await ModelFiles.RegisterAsync(client, "survival", ModelFiles.TitanicPipeline);
        }

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(app, "datasets", "push", DatasetFiles.Titanic, "--name", "titanic")).ExitCode);
        var file = Path.Combine(Path.GetTempPath(), $"predictions-{Guid.NewGuid():N}.csv");
        try
        {
            var end = (await CliRun.RunAsync(app, "batch", "survival", "--dataset", "titanic", "--wait", "--out", file, "-o", "json")).Json;

            Assert.Equal("Completed", end.GetProperty("runtimeStatus").GetString());
            var lines = (await File.ReadAllLinesAsync(file)).Where(l => l.Length > 0).ToList();
            // A header, then the 38 passengers.
            Assert.Equal(39, lines.Count);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Deploy_writes_the_routes_and_the_shadow_the_api_reads_back()
    {
        await using var app = new FlywheelApp();
        using (var http = app.CreateClient())
        {
            await ModelFiles.RegisterAsync(http, "iris", ModelFiles.IrisZipMap);
            await ModelFiles.RegisterAsync(http, "iris", ModelFiles.IrisSecondVersion());
        }

        var deployed = (await CliRun.RunAsync(app, "deploy", "iris", "--route", "1=100", "--shadow", "2", "-o", "json")).Json;
        using var client = ClientApp.ClientFor(app);
        var read = await client.Serving.GetDeploymentAsync("iris");

        var route = Assert.Single(deployed.GetProperty("resolved").GetProperty("routes").EnumerateArray());
        Assert.Equal((1, 100), (route.GetProperty("version").GetInt32(), route.GetProperty("weight").GetInt32()));
        Assert.Equal(2, deployed.GetProperty("resolved").GetProperty("shadow").GetInt32());
        Assert.Equal(new DeploymentRoute(VersionReference.Of(1), 100), Assert.Single(read.Deployment!.Routes));
        Assert.Equal(VersionReference.Of(2), read.Deployment.Shadow!.Version);
    }
}
