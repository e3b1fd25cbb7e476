namespace Microsoft.Azure.Functions.Worker;

/// <remarks>Only the members Flywheel uses are declared; the real type has more abstract members.</remarks>
public abstract class FunctionContext
{
    public abstract string InvocationId { get; }

    public abstract string FunctionId { get; }

    public abstract IServiceProvider InstanceServices { get; set; }

    public abstract IDictionary<object, object> Items { get; set; }

    public virtual CancellationToken CancellationToken { get; } = CancellationToken.None;
}
