using MidirEdge.Models.Bundles;
using MidirEdge.Models.Prediction;

namespace MidirEdge.Agent.Domain;

/// <summary>One predicted property.</summary>
/// <param name="Target">Property name, e.g. <c>C</c> or <c>pH</c>.</param>
/// <param name="Value">Predicted value in <paramref name="Unit"/>.</param>
/// <param name="Unit">Unit of the value, e.g. <c>g/kg</c>.</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="InDomain">Whether the spectrum lies inside the model's applicability domain.</param>
/// <param name="T2">Hotelling's T² of the spectrum in the model's score space, if the model has one.</param>
/// <param name="Q">Q residual (squared prediction error) of the spectrum, if the model has one.</param>
public sealed record Prediction(string Target, double Value, string? Unit, string Model, string Version, bool InDomain, double? T2, double? Q)
{
    /// <summary>Conformal prediction interval, when the model has one and the spectrum is not too far outside its domain.</summary>
    public ResultInterval? Interval { get; init; }

    /// <summary><c>indicative</c> for a weak model; written when the bundle declares a quality or its statistics show it weak.</summary>
    public PredictionQuality? Quality { get; init; }

    /// <summary>
    /// The payload entry of a bundle's prediction. A bundle that declares neither an interval nor a quality and whose
    /// statistics meet the skill thresholds (any bundle built before intervals) gives exactly the entry it gave before.
    /// </summary>
    public static Prediction From(TargetPrediction prediction, ModelBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(bundle);
        var declared = bundle.Manifest.Models.First(m => m.Targets.Contains(prediction.Target)).Quality is not null;
        return new Prediction(prediction.Target, prediction.Value, prediction.Unit, prediction.Model, prediction.Version, prediction.InDomain,
            prediction.Domain.T2, prediction.Domain.Q)
        {
            Interval = prediction.Interval is { } i ? new ResultInterval(i.Lower, i.Upper, i.Level) : null,
            Quality = declared || prediction.Quality == PredictionQuality.Indicative ? prediction.Quality : null,
        };
    }
}

/// <summary>A prediction interval in the prediction's unit.</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="Level">Nominal coverage, e.g. 0.9.</param>
public sealed record ResultInterval(double Lower, double Upper, double Level);
