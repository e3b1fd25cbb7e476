using System.ComponentModel.DataAnnotations;

namespace Flywheel.Registry;

/// <summary>Model registry settings, bound from <c>Flywheel:Registry</c>.</summary>
public sealed class RegistryOptions
{
    public const string SectionName = "Flywheel:Registry";

    /// <summary>Largest ONNX file accepted, in bytes (413 above). ONNX Runtime loads models whole, so this bounds memory. Default 1 GiB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxModelBytes { get; set; } = 1L << 30;
}
