using Flywheel.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace Flywheel.Api.Reference;

/// <summary>
/// Serves the OpenAPI document Flywheel.Api.Emit wrote beside the app at build time (the Functions host routes by
/// function and cannot produce one at run time, so both hosts serve the same file) and the reference page.
/// </summary>
public static class ApiReference
{
    /// <summary>The document's file name in the app's folder.</summary>
    public const string FileName = "openapi.json";

    private static readonly Lazy<byte[]?> s_document = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    });

    private static readonly Lazy<string> s_page = new(() =>
    {
        using var stream = typeof(ApiReference).Assembly.GetManifestResourceStream("Flywheel.Api.Reference.docs.html")
            ?? throw new InvalidOperationException("The reference page is not embedded in Flywheel.Api.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IResult Document() => s_document.Value is { } document
        ? Results.Bytes(document, "application/json")
        : Problem.NotFound($"This build has no {FileName} beside the app: build the host project (its build writes the document).");

    public static IResult Page() => Results.Content(s_page.Value, "text/html; charset=utf-8");
}
