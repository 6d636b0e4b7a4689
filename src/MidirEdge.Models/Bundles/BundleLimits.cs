using System.Text.RegularExpressions;

namespace MidirEdge.Models.Bundles;

/// <summary>
/// The largest bundle MidirEdge loads, checked before anything of that size is allocated: real MIR bundles are far below
/// every bound, a hostile or broken one is refused in milliseconds instead of exhausting memory. See docs/model-bundle.md.
/// </summary>
internal static partial class BundleLimits
{
    /// <summary>Files in a bundle, manifest and signature included.</summary>
    public const int MaxFiles = 256;

    /// <summary>Uncompressed size of one file.</summary>
    public const long MaxFileBytes = 128L * 1024 * 1024;

    /// <summary>Uncompressed size of all files together.</summary>
    public const long MaxTotalBytes = 512L * 1024 * 1024;

    /// <summary>Size of manifest.json.</summary>
    public const int MaxManifestBytes = 16 * 1024 * 1024;

    /// <summary>Length of a file name in a bundle.</summary>
    public const int MaxFileNameLength = 128;

    /// <summary>Points of the input grid, of a resampling grid and of an MSC reference (a MIR grid is a few thousand).</summary>
    public const int MaxGridPoints = 32_768;

    /// <summary>Targets of a bundle.</summary>
    public const int MaxTargets = 256;

    /// <summary>Models of a bundle.</summary>
    public const int MaxModels = 64;

    /// <summary>Preprocessing steps of one model.</summary>
    public const int MaxSteps = 64;

    /// <summary>Polynomial order of a Savitzky–Golay step.</summary>
    public const int MaxPolyOrder = 16;

    /// <summary>Components of a PCA or PLS artefact.</summary>
    public const int MaxComponents = 1024;

    /// <summary>Descriptors (model input before any PCA) of one model.</summary>
    public const int MaxDescriptors = 1 << 20;

    /// <summary>Scattering paths of one model.</summary>
    public const int MaxScatteringPaths = 65_536;

    /// <summary>Memory of the scattering filter banks of all models of a bundle together.</summary>
    public const long MaxScatteringBytes = 128L * 1024 * 1024;

    /// <summary>Longest bundle id.</summary>
    public const int MaxIdLength = 64;

    /// <summary>The safe id pattern (no <c>..</c> either): an id names files in the model folder.</summary>
    public const string IdPattern = @"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z";

    /// <summary>True when <paramref name="id"/> matches <see cref="IdPattern"/> and holds no <c>..</c>.</summary>
    public static bool IsSafeId(string id) => SafeId().IsMatch(id) && !id.Contains("..", StringComparison.Ordinal);

    /// <summary>True when <paramref name="name"/> is a plain file name: no folder, no control character, not hidden, not too long.</summary>
    public static bool IsPlainFileName(string name) =>
        name.Length is > 0 and <= MaxFileNameLength && name[0] != '.' && !name.Any(c => char.IsControl(c) || c is '/' or '\\' or ':');

    [GeneratedRegex(IdPattern, RegexOptions.CultureInvariant)]
    private static partial Regex SafeId();
}
