namespace MidirEdge.Agent.Domain;

/// <summary>Quality-control verdict carried in a result.</summary>
/// <param name="Passed">Whether the spectrum passed every check.</param>
/// <param name="Flags">The checks that failed or warned; empty when clean.</param>
public sealed record QcSummary(bool Passed, IReadOnlyList<QcFlag> Flags);

/// <summary>What a quality check looks at.</summary>
public enum QcCheckKind
{
    /// <summary>All values finite.</summary>
    Finite,
    /// <summary>A blank, dark or saturated scan.</summary>
    Flat,
    /// <summary>One bundle's input contract: units, y kind and x range.</summary>
    Coverage,
    /// <summary>Absorbance too high for the detector.</summary>
    Saturation,
    /// <summary>A clipped maximum.</summary>
    FlatTop,
    /// <summary>Too little light in a transmittance, reflectance or single-channel spectrum.</summary>
    Throughput,
    /// <summary>Noise in a band-free region.</summary>
    Noise,
    /// <summary>The CO₂ band.</summary>
    Co2,
    /// <summary>Water-vapour lines.</summary>
    WaterVapour,
}

/// <summary>A check that warned or failed: its kind and, for <see cref="QcCheckKind.Coverage"/>, the bundle it was about.</summary>
/// <param name="Kind">What the check looks at.</param>
/// <param name="BundleId">The bundle of a coverage check; null for the others.</param>
public sealed record QcFlag(QcCheckKind Kind, string? BundleId = null)
{
    private const string CoveragePrefix = "coverage:";

    /// <summary>The stable name carried in payloads and metrics, e.g. <c>noise</c> or <c>coverage:demo-yamsys-C</c>.</summary>
    public string Name => Kind switch
    {
        QcCheckKind.Coverage => CoveragePrefix + BundleId,
        QcCheckKind.FlatTop => "flat-top",
        QcCheckKind.WaterVapour => "water-vapour",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The flag a <see cref="Name"/> stands for; null when it names no check.</summary>
    public static QcFlag? Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith(CoveragePrefix, StringComparison.Ordinal)) return new QcFlag(QcCheckKind.Coverage, name[CoveragePrefix.Length..]);
        foreach (var kind in Enum.GetValues<QcCheckKind>())
            if (kind != QcCheckKind.Coverage && new QcFlag(kind).Name == name) return new QcFlag(kind);
        return null;
    }
}
