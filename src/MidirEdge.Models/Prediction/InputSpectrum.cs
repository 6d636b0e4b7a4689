using MidirEdge.Spectra;
using MidirEdge.Spectra.Preprocessing;

namespace MidirEdge.Models.Prediction;

/// <summary>
/// A spectrum to check and predict with any number of bundles: as read, and in cm⁻¹, converted once when it was read in
/// µm or nm, so no bundle or check converts it again.
/// </summary>
public sealed class InputSpectrum
{
    /// <summary>Wraps <paramref name="spectrum"/>, converting it to cm⁻¹ now when it is in µm or nm.</summary>
    public InputSpectrum(Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        AsRead = spectrum;
        InWavenumbers = spectrum.XUnit is XUnit.Micrometre or XUnit.Nanometre ? new ToWavenumber().Apply(spectrum) : spectrum;
    }

    /// <summary>The spectrum as read, in its own unit.</summary>
    public Spectrum AsRead { get; }

    /// <summary>The spectrum in cm⁻¹ when it was read in cm⁻¹, µm or nm; otherwise (points, other units) the spectrum as read.</summary>
    public Spectrum InWavenumbers { get; }
}
