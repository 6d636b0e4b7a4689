namespace MidirEdge.Spectra;

/// <summary>What a spectrum's y values measure.</summary>
public enum YKind
{
    /// <summary>Absorbance, log10(1/T) or log10(1/R).</summary>
    Absorbance,
    /// <summary>Transmittance, as a fraction or in percent.</summary>
    Transmittance,
    /// <summary>Reflectance, as a fraction or in percent.</summary>
    Reflectance,
    /// <summary>Single-channel (sample or reference) intensity.</summary>
    SingleChannel,
    /// <summary>Interferogram.</summary>
    Interferogram,
    /// <summary>Kubelka–Munk units.</summary>
    KubelkaMunk,
    /// <summary>Anything else (phase, power, derivatives, arbitrary units).</summary>
    Arbitrary,
}
