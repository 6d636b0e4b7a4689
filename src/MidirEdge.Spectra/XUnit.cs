namespace MidirEdge.Spectra;

/// <summary>Unit of a spectrum's x axis.</summary>
public enum XUnit
{
    /// <summary>Wavenumber in cm⁻¹.</summary>
    Wavenumber,
    /// <summary>Wavelength in micrometres.</summary>
    Micrometre,
    /// <summary>Wavelength in nanometres.</summary>
    Nanometre,
    /// <summary>Data-point index or optical retardation points (interferograms).</summary>
    Points,
    /// <summary>Any other unit; its text is in <see cref="SpectrumMetadata.XUnitLabel"/>.</summary>
    Other,
}
