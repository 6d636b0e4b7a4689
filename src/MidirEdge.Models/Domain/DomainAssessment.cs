namespace MidirEdge.Models.Domain;

/// <summary>Whether one sample lies in a model's applicability domain, with the statistics behind the verdict.</summary>
/// <param name="InDomain">True when <paramref name="T2"/> ≤ <paramref name="T2Limit"/> and <paramref name="Q"/> ≤ <paramref name="QLimit"/>.</param>
/// <param name="T2">Hotelling T²: distance from the training centre within the PCA model.</param>
/// <param name="Q">Q residual (SPE): squared distance from the PCA model plane.</param>
/// <param name="T2Limit">T² limit at <paramref name="Confidence"/>.</param>
/// <param name="QLimit">Q limit at <paramref name="Confidence"/>.</param>
/// <param name="Confidence">Confidence level of both limits, e.g. 0.99.</param>
public readonly record struct DomainAssessment(bool InDomain, double T2, double Q, double T2Limit, double QLimit, double Confidence)
{
    /// <summary>Distance in units of the domain limit, √max(T²/T²limit, Q/Qlimit): at most 1 inside the domain.</summary>
    public double Distance => Math.Sqrt(Math.Max(T2 / T2Limit, Q / QLimit));
}
