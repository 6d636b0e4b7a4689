using System.Collections.Immutable;

namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Removes the points whose x lies in any of the ranges (e.g. the CO₂ band 2269–2389 cm⁻¹).</summary>
public sealed record Exclude : PreprocessingStep
{
    /// <summary>Creates the step.</summary>
    public Exclude(ImmutableArray<XRange> ranges)
    {
        XRange.RequireSome(ranges, nameof(ranges));
        Ranges = ranges;
    }

    /// <summary>The ranges to remove.</summary>
    public ImmutableArray<XRange> Ranges { get; }

    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum) => Trim.Select(spectrum, Ranges, keep: false);
}
