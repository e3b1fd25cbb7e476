using Flywheel.Api.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Flywheel.Api.Emit;

/// <summary>
/// The OpenAPI document of the declared endpoints, produced by ASP.NET Core's generator from the same declaration
/// LocalHost routes and the Functions triggers come from, and written at build time: the Functions host routes by
/// function, so it cannot produce the document itself; both hosts serve this file.
/// </summary>
internal static class OpenApiDocument
{
    public const string Name = "v1";

    public static void AddFlywheelOpenApi(this IServiceCollection services) => services.AddOpenApi(Name, options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Flywheel",
                Version = FlywheelVersion.Informational.Split('+')[0],
                Description = "Datasets, training, the model registry, serving, monitoring and batch scoring of one Flywheel app. "
                    + "The Functions host takes a function key in the x-functions-key header (or ?code=); LocalHost takes its API key in X-Api-Key when one is set.",
            };

            // Where it is served decides the server; a document written at build time names none.
            document.Servers = [];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                ["functionKey"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "x-functions-key", Description = "A function or host key of the Function App." },
                ["apiKey"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = Caller.ApiKeyHeader, Description = "LocalHost's Flywheel:Access:ApiKey." },
            };
            return Task.CompletedTask;
        });

        // Every endpoint but the probes, the home page and this reference needs a key; those carry no requirement.
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("functionKey", context.Document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", context.Document)] = [] },
                ];
            }

            return Task.CompletedTask;
        });
    });

    public static async Task<string> WriteAsync(WebApplication app)
    {
        var provider = app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>(Name);
        var document = await provider.GetOpenApiDocumentAsync().ConfigureAwait(false);
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString() + "\n";
    }
}
