using System.Collections.Immutable;

namespace MidirEdge.Models.Bundles;

/// <summary>A model's conformal prediction interval: ŷ ± half-width on the model's scale, then back-transformed.</summary>
/// <param name="Level">Nominal coverage, e.g. 0.9.</param>
/// <param name="HalfWidths">Half-width per target (in the model's target order), on the model's scale.</param>
public sealed record IntervalSpec(double Level, ImmutableArray<double> HalfWidths)
{
    /// <summary>
    /// Slope c of the residual scale σ(d) = 1 + c·d over the applicability-domain distance d = √max(T²/T²limit, Q/Qlimit):
    /// the half-width is multiplied by σ(d) everywhere. Absent (older bundles): 1 inside the domain, d outside.
    /// </summary>
    public double? DomainSlope { get; init; }
}
