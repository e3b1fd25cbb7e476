using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;

namespace Flywheel.Functions.Tests;

/// <summary>The worker's FunctionContext is abstract; the middlewares read only Items (the HttpContext), services and the function's name.</summary>
internal sealed class FakeFunctionContext(IServiceProvider services, string functionName = "function") : FunctionContext
{
    public override string InvocationId => "invocation-1";

    public override string FunctionId => "function-1";

    public override TraceContext TraceContext => throw new NotSupportedException();

    public override BindingContext BindingContext => throw new NotSupportedException();

    public override RetryContext RetryContext => throw new NotSupportedException();

    public override IServiceProvider InstanceServices { get; set; } = services;

    public override FunctionDefinition FunctionDefinition { get; } = new Definition(functionName);

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException();

    private sealed class Definition(string name) : FunctionDefinition
    {
        public override string PathToAssembly => typeof(Definition).Assembly.Location;

        public override string EntryPoint => name;

        public override string Id => name;

        public override string Name => name;

        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
