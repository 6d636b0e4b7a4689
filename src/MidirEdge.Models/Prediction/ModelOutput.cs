using MidirEdge.Models.Bundles;
using MidirEdge.Models.Domain;

namespace MidirEdge.Models.Prediction;

/// <summary>Turns a model's output on its own scale into predictions: back-transform, conformal interval and quality.</summary>
internal sealed class ModelOutput
{
    private readonly TargetInfo[] _targets;
    private readonly TargetTransform _transform;
    private readonly IntervalSpec? _interval;
    private readonly PredictionQuality[] _quality;

    public ModelOutput(ModelEntry entry, TargetInfo[] targets, string source)
    {
        _targets = targets;
        _transform = entry.Model.Transform ?? TargetTransform.None;
        if (entry.Interval is { } interval)
        {
            if (!(interval.Level is > 0 and < 1))
                throw new ModelException(source, $"interval level {interval.Level} is not between 0 and 1");
            if (interval.HalfWidths.IsDefault || interval.HalfWidths.Length != targets.Length)
                throw new ModelException(source, $"the interval needs one half-width for each of the model's {targets.Length} targets");
            if (interval.HalfWidths.Any(w => !(w >= 0) || !double.IsFinite(w)))
                throw new ModelException(source, "interval half-widths must be finite and not negative");
            if (interval.DomainSlope is { } slope && !(slope >= 0 && double.IsFinite(slope)))
                throw new ModelException(source, "interval domainSlope must be finite and not negative");
        }
        _interval = entry.Interval;
        _quality = targets.Select(t => ModelSkill.Judge(entry, t.Name)).ToArray();
    }

    /// <summary>
    /// Target <paramref name="index"/>'s prediction. The calibrated width is scaled by 1 + c·d, with d the spectrum's distance
    /// from the applicability domain in units of its limit (<see cref="DomainAssessment.Distance"/>) and c the interval's
    /// domain slope; without a slope (older bundles) it is widened by d outside the domain only. Beyond d =
    /// <see cref="MaxWidening"/> the prediction has no interval.
    /// A target whose training values were all non-negative (a concentration) gets no negative lower bound, unless the
    /// prediction itself is negative.
    /// </summary>
    public TargetPrediction Predict(int index, double modelValue, string model, string version, DomainAssessment domain)
    {
        var target = _targets[index];
        var distance = domain.Distance;
        var widening = _interval?.DomainSlope is { } slope ? 1 + slope * distance : domain.InDomain ? 1 : distance;
        var value = _transform.Inverse(modelValue);
        var floor = target.Min >= 0 ? Math.Min(0, value) : double.NegativeInfinity;
        return new TargetPrediction(target.Name, value, target.Unit, model, version, domain)
        {
            Interval = _interval is { } interval && distance <= MaxWidening
                ? new PredictionInterval(Math.Max(floor, _transform.Inverse(modelValue - widening * interval.HalfWidths[index])),
                    _transform.Inverse(modelValue + widening * interval.HalfWidths[index]), interval.Level)
                : null,
            Quality = _quality[index],
        };
    }

    /// <summary>Farthest distance from the domain, in units of its limit, at which a prediction has an interval.</summary>
    public const double MaxWidening = 3;
}
