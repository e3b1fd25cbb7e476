namespace Microsoft.Azure.Functions.Worker;

[AttributeUsage(AttributeTargets.Method)]
public class FunctionAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
