namespace MidirEdge.Scattering;

/// <summary>Which Kymatio release's numbers a <see cref="Scattering1D"/> reproduces.</summary>
public enum KymatioVersion
{
    /// <summary>Kymatio 0.3.0 (the PyPI release): subsampled filters are periodised by averaging.</summary>
    V0_3 = 0,

    /// <summary>Kymatio 0.4-dev (main): subsampled filters are periodised by summing, so paths with
    /// subsampling are scaled by powers of two relative to 0.3.0.</summary>
    V0_4 = 1,
}
