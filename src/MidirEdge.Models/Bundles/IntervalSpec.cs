using System.Collections.Immutable;

namespace MidirEdge.Models.Bundles;

/// <summary>A model's conformal prediction interval: ŷ ± half-width on the model's scale, then back-transformed.</summary>
/// <param name="Level">Nominal coverage, e.g. 0.9.</param>
/// <param name="HalfWidths">Half-width per target (in the model's target order), on the model's scale.</param>
public sealed record IntervalSpec(double Level, ImmutableArray<double> HalfWidths);
