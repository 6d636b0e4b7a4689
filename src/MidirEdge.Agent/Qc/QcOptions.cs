using Microsoft.Extensions.Options;

namespace MidirEdge.Agent.Qc;

/// <summary>
/// Quality-control limits bound from <c>MidirEdge:Qc</c>. The defaults suit MIR absorbance spectra of soils from a
/// Bruker Alpha DRIFT accessory (4 cm⁻¹ resolution, ~2 cm⁻¹ spacing); each sits several times above what the real
/// yamsys and OPUS fixture spectra measure (see the QC tests).
/// </summary>
public sealed class QcOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "MidirEdge:Qc";

    /// <summary>
    /// Smallest spread of a spectrum (standard deviation over its largest absolute value) below which it is a flat, blank
    /// or saturated scan and fails; the real fixture spectra of every kind measure 2.6e-3 or more. 0 turns the check off.
    /// </summary>
    [SettingRange(0.0, 1.0, MaximumIsExclusive = true)]
    public double MinRelativeSpread { get; set; } = 1e-5;

    /// <summary>Highest believable absorbance; above it the detector saw almost no light.</summary>
    [Positive]
    public double MaxAbsorbance { get; set; } = 3.0;

    /// <summary>Longest run of consecutive points allowed at the spectrum's maximum (within 1e-4) before it counts as clipped.</summary>
    [Positive]
    public int MaxFlatTopPoints { get; set; } = 3;

    /// <summary>Lowest ratio of the smallest to the largest value of a transmittance, reflectance or single-channel spectrum.</summary>
    [SettingRange(0.0, 1.0, MaximumIsExclusive = true)]
    public double MinThroughputRatio { get; set; } = 0.001;

    /// <summary>Largest noise (white-noise standard deviation in absorbance) in the flat 2600–2450 cm⁻¹ region.</summary>
    [Positive]
    public double MaxNoise { get; set; } = 5e-4;

    /// <summary>Largest CO₂ band (absorbance departure from the local baseline in 2390–2280 cm⁻¹).</summary>
    [Positive]
    public double MaxCo2 { get; set; } = 0.1;

    /// <summary>Largest water-vapour line roughness (absorbance, above the noise) in 4000–3800 cm⁻¹.</summary>
    [Positive]
    public double MaxWaterVapour { get; set; } = 0.005;
}

/// <summary>Checks each <see cref="QcOptions"/> field against its annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class QcOptionsFields : IValidateOptions<QcOptions>;

/// <summary>Checks <see cref="QcOptions"/>, naming each key under <c>MidirEdge:Qc</c>.</summary>
internal sealed class QcOptionsValidator : SettingsValidator<QcOptions, QcOptionsFields>
{
    protected override string Section(QcOptions options) => QcOptions.SectionName;
}
