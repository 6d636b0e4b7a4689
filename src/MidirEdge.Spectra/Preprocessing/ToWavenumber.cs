namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Wavelength (µm or nm) to wavenumber (cm⁻¹): 10⁴/λ or 10⁷/λ; wavenumber spectra pass unchanged. Point order is kept.</summary>
public sealed record ToWavenumber : PreprocessingStep
{
    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var factor = spectrum.XUnit switch
        {
            XUnit.Wavenumber => 0.0,
            XUnit.Micrometre => 1e4,
            XUnit.Nanometre => 1e7,
            _ => throw new ArgumentException($"cannot convert x in {spectrum.XUnit} to wavenumber.", nameof(spectrum)),
        };
        if (factor == 0) return spectrum;
        var x = new double[spectrum.Length];
        for (var i = 0; i < x.Length; i++) x[i] = factor / spectrum.X[i];
        return Spectrum.Create(x, [.. spectrum.Y], XUnit.Wavenumber, spectrum.YKind, spectrum.Metadata);
    }
}
