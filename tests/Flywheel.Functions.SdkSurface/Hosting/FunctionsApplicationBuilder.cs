using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Azure.Functions.Worker.SdkSurface;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Azure.Functions.Worker.Middleware
{
    public delegate Task FunctionExecutionDelegate(FunctionContext context);
}

namespace Microsoft.Azure.Functions.Worker
{
    public interface IFunctionsWorkerApplicationBuilder
    {
        IServiceCollection Services { get; }

        IFunctionsWorkerApplicationBuilder Use(Func<FunctionExecutionDelegate, FunctionExecutionDelegate> middleware);
    }
}

namespace Microsoft.Azure.Functions.Worker.Builder
{
    public class FunctionsApplication
    {
        public static FunctionsApplicationBuilder CreateBuilder(string[] args) => throw SurfaceOnly.Member();
    }

    public class FunctionsApplicationBuilder : IHostApplicationBuilder, IFunctionsWorkerApplicationBuilder
    {
        internal FunctionsApplicationBuilder()
        {
        }

        public IDictionary<object, object> Properties => throw SurfaceOnly.Member();

        IConfigurationManager IHostApplicationBuilder.Configuration => Configuration;

        public ConfigurationManager Configuration => throw SurfaceOnly.Member();

        public IHostEnvironment Environment => throw SurfaceOnly.Member();

        public ILoggingBuilder Logging => throw SurfaceOnly.Member();

        public IMetricsBuilder Metrics => throw SurfaceOnly.Member();

        public IServiceCollection Services => throw SurfaceOnly.Member();

        public IHost Build() => throw SurfaceOnly.Member();

        public void ConfigureContainer<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory, Action<TContainerBuilder>? configure = null)
            where TContainerBuilder : notnull => throw SurfaceOnly.Member();

        public IFunctionsWorkerApplicationBuilder Use(Func<FunctionExecutionDelegate, FunctionExecutionDelegate> middleware) => throw SurfaceOnly.Member();
    }

    public static class FunctionsApplicationBuilderAspNetCoreExtensions
    {
        public static FunctionsApplicationBuilder ConfigureFunctionsWebApplication(this FunctionsApplicationBuilder builder) => throw SurfaceOnly.Member();
    }
}
