using Flywheel.Api.Reference;
using Flywheel.Api.Routing;
using Flywheel.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The API's own description: the OpenAPI document and a reference page over it, open without a key.</summary>
public static class ReferenceApi
{
    public static IEndpointRouteBuilder MapReferenceApi(this IEndpointRouteBuilder endpoints)
    {
        var reference = endpoints.MapGroup(string.Empty).WithTags("Reference").AllowAnonymous();
        reference.MapGet(Routes.OpenApi, ApiReference.Document)
            .WithName("GetOpenApiDocument").WithSummary("This API's OpenAPI 3.1 document, written when the app was built");
        reference.MapGet(Routes.ApiDocs, ApiReference.Page)
            .WithName("GetApiDocs").WithSummary("A reference page of every endpoint, read from the OpenAPI document");
        return endpoints;
    }
}
