namespace Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

[AttributeUsage(AttributeTargets.Method)]
public abstract class BindingAttribute : Attribute
{
}

[AttributeUsage(AttributeTargets.Parameter)]
public abstract class TriggerBindingAttribute : BindingAttribute
{
}

[AttributeUsage(AttributeTargets.Parameter)]
public abstract class InputBindingAttribute : BindingAttribute
{
}

[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property)]
public abstract class OutputBindingAttribute : BindingAttribute
{
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class BindingPropertyNameAttribute(string bindingPropertyName) : Attribute
{
    public string BindingPropertyName { get; } = bindingPropertyName;
}
