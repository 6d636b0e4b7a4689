using MidirEdge.Models.Domain;

namespace MidirEdge.Models.Prediction;

/// <summary>One predicted property with the model that made it and its applicability-domain verdict.</summary>
/// <param name="Target">Property name, e.g. <c>C</c>.</param>
/// <param name="Value">Predicted value.</param>
/// <param name="Unit">Unit of the value.</param>
/// <param name="Model">Bundle id.</param>
/// <param name="Version">Bundle version.</param>
/// <param name="Domain">Hotelling T², Q residual, their limits and the in-domain flag.</param>
public sealed record TargetPrediction(string Target, double Value, string? Unit, string Model, string Version, DomainAssessment Domain)
{
    /// <summary>True when the spectrum lies inside the model's applicability domain.</summary>
    public bool InDomain => Domain.InDomain;

    /// <summary>Conformal prediction interval; none when the bundle has no interval or the spectrum is outside the domain.</summary>
    public PredictionInterval? Interval { get; init; }

    /// <summary>Indicative when the model's cross-validated skill is weak (<see cref="ModelSkill"/>).</summary>
    public PredictionQuality Quality { get; init; }
}
