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
        }
        _interval = entry.Interval;
        _quality = targets.Select(t => ModelSkill.Judge(entry, t.Name)).ToArray();
    }

    /// <summary>
    /// Target <paramref name="index"/>'s prediction. Outside the applicability domain the calibrated width is widened by
    /// √max(T²/T²limit, Q/Qlimit), the spectrum's distance in units of the domain limit; beyond <see cref="MaxWidening"/> it has no interval.
    /// A target whose training values were all non-negative (a concentration) gets no negative lower bound, unless the
    /// prediction itself is negative.
    /// </summary>
    public TargetPrediction Predict(int index, double modelValue, string model, string version, DomainAssessment domain)
    {
        var target = _targets[index];
        var widening = domain.InDomain ? 1 : Math.Sqrt(Math.Max(domain.T2 / domain.T2Limit, domain.Q / domain.QLimit));
        var value = _transform.Inverse(modelValue);
        var floor = target.Min >= 0 ? Math.Min(0, value) : double.NegativeInfinity;
        return new TargetPrediction(target.Name, value, target.Unit, model, version, domain)
        {
            Interval = _interval is { } interval && widening <= MaxWidening
                ? new PredictionInterval(Math.Max(floor, _transform.Inverse(modelValue - widening * interval.HalfWidths[index])),
                    _transform.Inverse(modelValue + widening * interval.HalfWidths[index]), interval.Level)
                : null,
            Quality = _quality[index],
        };
    }

    /// <summary>Most an interval is widened for a spectrum outside the domain; farther out, the prediction has no interval.</summary>
    public const double MaxWidening = 3;
}
