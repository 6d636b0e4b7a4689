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
    public double MinRelativeSpread { get; set; } = 1e-5;

    /// <summary>Highest believable absorbance; above it the detector saw almost no light.</summary>
    public double MaxAbsorbance { get; set; } = 3.0;

    /// <summary>Longest run of consecutive points allowed at the spectrum's maximum (within 1e-4) before it counts as clipped.</summary>
    public int MaxFlatTopPoints { get; set; } = 3;

    /// <summary>Lowest ratio of the smallest to the largest value of a transmittance, reflectance or single-channel spectrum.</summary>
    public double MinThroughputRatio { get; set; } = 0.001;

    /// <summary>Largest noise (white-noise standard deviation in absorbance) in the flat 2600–2450 cm⁻¹ region.</summary>
    public double MaxNoise { get; set; } = 5e-4;

    /// <summary>Largest CO₂ band (absorbance departure from the local baseline in 2390–2280 cm⁻¹).</summary>
    public double MaxCo2 { get; set; } = 0.1;

    /// <summary>Largest water-vapour line roughness (absorbance, above the noise) in 4000–3800 cm⁻¹.</summary>
    public double MaxWaterVapour { get; set; } = 0.005;
}

/// <summary>Validates <see cref="QcOptions"/> with messages that name the offending key.</summary>
internal sealed class QcOptionsValidator : IValidateOptions<QcOptions>
{
    public ValidateOptionsResult Validate(string? name, QcOptions o)
    {
        var failures = new List<string>();
        if (!(o.MinRelativeSpread is >= 0 and < 1))
            failures.Add($"MidirEdge:Qc:MinRelativeSpread must be at least 0 (off) and below 1 (got {o.MinRelativeSpread}).");
        Positive(o.MaxAbsorbance, "MaxAbsorbance", failures);
        if (o.MaxFlatTopPoints < 1)
            failures.Add($"MidirEdge:Qc:MaxFlatTopPoints must be at least 1 (got {o.MaxFlatTopPoints}).");
        if (!(o.MinThroughputRatio is >= 0 and < 1))
            failures.Add($"MidirEdge:Qc:MinThroughputRatio must be at least 0 and below 1 (got {o.MinThroughputRatio}).");
        Positive(o.MaxNoise, "MaxNoise", failures);
        Positive(o.MaxCo2, "MaxCo2", failures);
        Positive(o.MaxWaterVapour, "MaxWaterVapour", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(double value, string key, List<string> failures)
    {
        if (!(value > 0 && double.IsFinite(value)))
            failures.Add($"MidirEdge:Qc:{key} must be a positive number (got {value}).");
    }
}
