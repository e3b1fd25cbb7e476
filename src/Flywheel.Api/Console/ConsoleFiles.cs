using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Flywheel.Reports;
using Flywheel.Api.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Flywheel.Api.Console;

/// <summary>
/// The console's files, embedded in this assembly at build (Flywheel.Api.csproj: <c>Console/wwwroot/</c> and
/// uPlot from <c>node_modules</c>), so both hosts serve the same bytes with no file system and no CDN. A path
/// without an extension is a page (<c>datasets/iris</c>): it gets the shell, whose script routes on the path.
/// </summary>
public static class ConsoleFiles
{
    /// <summary>The manifest name prefix the project file gives every console file.</summary>
    public const string ResourcePrefix = "Flywheel.Api.Console.";

    private const string Shell = "index.html";

    /// <summary>The pages' shared look (<see cref="PageLook"/>), served beside the console's own styles.</summary>
    private const string PageCss = "page.css";

    private static readonly FrozenDictionary<string, string> s_types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<FrozenDictionary<string, File>> s_files = new(Load);

    /// <summary>The file names served, for tests and the build check.</summary>
    public static IEnumerable<string> Names => s_files.Value.Keys;

    public static IResult Get(HttpRequest request, string path)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = Path.HasExtension(path) ? path : Shell;
        if (!s_files.Value.TryGetValue(name, out var file))
        {
            return Problem.NotFound($"The console has no file '{path}'.");
        }

        // The files change only with a new build, but keep their names: revalidate every time, answer 304 while the ETag holds.
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        if (request.Headers.IfNoneMatch.ToString().Contains(file.ETag, StringComparison.Ordinal))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(file.Bytes, file.ContentType, entityTag: new EntityTagHeaderValue($"\"{file.ETag}\""));
    }

    private static FrozenDictionary<string, File> Load()
    {
        var assembly = typeof(ConsoleFiles).Assembly;
        var files = new Dictionary<string, File>(StringComparer.Ordinal);
        void Add(string name, byte[] bytes) =>
            files[name] = new File(bytes, s_types.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"), Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]);

        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            Add(resource[ResourcePrefix.Length..], buffer.ToArray());
        }

        // The look the reports and the model card inline, from its one definition.
        Add(PageCss, Encoding.UTF8.GetBytes(PageLook.Css));
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record File(byte[] Bytes, string ContentType, string ETag);
}
