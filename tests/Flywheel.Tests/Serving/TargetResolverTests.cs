using System.Net;
using Flywheel.Datasets.Versions;
using Flywheel.Events;
using Flywheel.Registry;
using Flywheel.Serving;
using Flywheel.Serving.Routing;
using Flywheel.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Flywheel.Tests.Serving;

public sealed class TargetResolverTests
{
    [Fact]
    public async Task Change_made_on_another_instance_is_served_stale_once_then_picked_up_by_a_background_refresh()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var name = $"resolve-{Guid.NewGuid():N}"[..24];
        Assert.Equal(HttpStatusCode.Created, await ModelFiles.RegisterAsync(client, name, ModelFiles.IrisZipMap));
        var services = app.Services;
        // Another instance: its own registry (so no in-process change notice) and a target that is always due for refresh.
        var elsewhere = new ModelRegistry(services.GetRequiredService<ModelCatalog>(), services.GetRequiredService<ModelBlobs>(),
            services.GetRequiredService<DatasetCatalog>(), services.GetRequiredService<EventPublisher>(), TimeProvider.System);
        var resolver = new TargetResolver(elsewhere, services.GetRequiredService<ModelCatalog>(),
            Options.Create(new ServingOptions { DeploymentCacheDuration = TimeSpan.Zero }), TimeProvider.System, NullLogger<TargetResolver>.Instance);

        var before = await resolver.GetAsync(name, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, await ModelFiles.RegisterAsync(client, name, ModelFiles.XgboostRegressor));
        var stale = await resolver.GetAsync(name, CancellationToken.None);
        var fresh = stale;
        for (var attempt = 0; attempt < 100 && fresh.Latest != 2; attempt++)
        {
            await Task.Delay(50);
            fresh = await resolver.GetAsync(name, CancellationToken.None);
        }

        Assert.Equal(1, before.Latest);
        Assert.Equal(1, stale.Latest);
        Assert.Equal(2, fresh.Latest);
    }

    [Fact]
    public async Task Change_made_through_this_instance_takes_effect_at_once()
    {
        await using var app = new FlywheelApp();
        using var client = app.CreateClient();
        var name = $"resolve-{Guid.NewGuid():N}"[..24];
        var resolver = app.Services.GetRequiredService<TargetResolver>();
        Assert.Equal(HttpStatusCode.Created, await ModelFiles.RegisterAsync(client, name, ModelFiles.IrisZipMap));

        var before = await resolver.GetAsync(name, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, await ModelFiles.RegisterAsync(client, name, ModelFiles.XgboostRegressor));
        var after = await resolver.GetAsync(name, CancellationToken.None);

        Assert.Equal(1, before.Latest);
        Assert.Equal(2, after.Latest);
    }
}
