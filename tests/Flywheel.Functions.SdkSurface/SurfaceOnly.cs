namespace Microsoft.Azure.Functions.Worker.SdkSurface;

/// <summary>Thrown by every member that would need the real worker at run time.</summary>
internal static class SurfaceOnly
{
    public static NotSupportedException Member() =>
        new("This is the compile-only SDK surface; the real Azure Functions worker implements this member.");
}
