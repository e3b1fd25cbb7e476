using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

public enum AuthorizationLevel
{
    Anonymous = 0,
    User = 1,
    Function = 2,
    System = 3,
    Admin = 4,
}

public sealed class HttpTriggerAttribute : TriggerBindingAttribute
{
    public HttpTriggerAttribute()
    {
        AuthLevel = AuthorizationLevel.Function;
    }

    public HttpTriggerAttribute(params string[] methods)
    {
        Methods = methods;
    }

    public HttpTriggerAttribute(AuthorizationLevel authLevel)
    {
        AuthLevel = authLevel;
    }

    public HttpTriggerAttribute(AuthorizationLevel authLevel, params string[] methods)
    {
        AuthLevel = authLevel;
        Methods = methods;
    }

    public string? Route { get; set; }

    public string[]? Methods { get; private set; }

    public AuthorizationLevel AuthLevel { get; private set; }
}
