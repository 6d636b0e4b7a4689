namespace MidirEdge.Models.Prediction;

/// <summary>A prediction interval in the target's unit.</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="Level">Nominal coverage, e.g. 0.9.</param>
public sealed record PredictionInterval(double Lower, double Upper, double Level);
