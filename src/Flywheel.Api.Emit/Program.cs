using System.Text;
using Flywheel.Api.Declaration;
using Flywheel.Api.Emit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

// Usage: Flywheel.Api.Emit functions OUT.cs | openapi OUT.json
// Writes OUT only when its content changes, so an unchanged declaration leaves the host projects' builds incremental.
if (args is not [("functions" or "openapi") and var what, var output])
{
    Console.Error.WriteLine("usage: Flywheel.Api.Emit functions OUT.cs | openapi OUT.json");
    return 2;
}

// The services are registered, never started: the declaration needs to know which handler parameters are services.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Flywheel", EnvironmentName = "Production" });
builder.Services.AddFlywheelApi(builder.Configuration);
builder.Services.AddFlywheelOpenApi();
await using var app = builder.Build();

// UseEndpoints hands the declared endpoints to routing's data source at once, where the OpenAPI generator reads
// them; app.Map* would do so only when the app starts, and this one never does.
app.UseRouting();
#pragma warning disable ASP0014 // Deliberate: the top-level registration it suggests is the one that waits for a start.
app.UseEndpoints(endpoints => endpoints.MapFlywheelApi());
#pragma warning restore ASP0014
var text = what == "functions"
    ? FunctionTriggers.Write(EndpointTable.Declared(app.Services))
    : await OpenApiDocument.WriteAsync(app);

var bytes = Encoding.UTF8.GetBytes(text);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
if (!File.Exists(output) || !File.ReadAllBytes(output).AsSpan().SequenceEqual(bytes))
{
    File.WriteAllBytes(output, bytes);
}

return 0;
