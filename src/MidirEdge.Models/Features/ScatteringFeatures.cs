using MidirEdge.Models.Bundles;
using MidirEdge.Scattering;

namespace MidirEdge.Models.Features;

/// <summary>Scattering coefficients of a preprocessed spectrum, post-processed and flattened as a bundle's <see cref="ScatteringSpec"/> says.</summary>
internal sealed class ScatteringFeatures
{
    private readonly Scattering1D _transform;
    private readonly ScatteringSpec _spec;
    private readonly int[] _keptPaths;

    public ScatteringFeatures(ScatteringSpec spec, int signalLength)
    {
        if (spec.Q.IsDefaultOrEmpty || spec.Q.Length > 2) throw new ArgumentException("scattering Q needs one or two values.", nameof(spec));
        var version = spec.Kymatio switch
        {
            "0.3" or "0.3.0" => KymatioVersion.V0_3,
            "0.4" or "0.4-dev" => KymatioVersion.V0_4,
            _ => throw new ArgumentException($"Kymatio version '{spec.Kymatio}' is not supported (0.3 or 0.4).", nameof(spec)),
        };
        if (!(spec.LogScale > 0) || !double.IsFinite(spec.LogScale))
            throw new ArgumentException($"scattering log scale {spec.LogScale} must be positive.", nameof(spec));
        _spec = spec;
        _transform = new Scattering1D(new ScatteringParameters(spec.J, signalLength, spec.Q[0], spec.Q.Length > 1 ? spec.Q[1] : 1,
            spec.T, spec.MaxOrder, version: version));
        _keptPaths = Enumerable.Range(0, _transform.PathCount).Where(p => spec.IncludeOrder0 || _transform.Paths[p].Order > 0).ToArray();
        FeatureCount = _keptPaths.Length * _transform.TimeLength;
    }

    public int SignalLength => _transform.SignalLength;

    public int FeatureCount { get; }

    public double[] Compute(ReadOnlySpan<double> signal)
    {
        var coefficients = _transform.Transform(signal);
        var time = _transform.TimeLength;
        var features = new double[FeatureCount];
        for (var k = 0; k < _keptPaths.Length; k++)
        {
            var p = _keptPaths[k];
            var path = coefficients.AsSpan(p * time, time);
            var target = features.AsSpan(k * time, time);
            var parent = _spec.NormaliseOrder2 && _transform.Paths[p].Order == 2
                ? coefficients.AsSpan(_transform.Paths[p].Parent * time, time)
                : default;
            for (var t = 0; t < time; t++)
            {
                var value = parent.IsEmpty ? path[t] : path[t] / (parent[t] + Epsilon);
                target[t] = _spec.Log ? Math.Log(1 + value / _spec.LogScale) : value;
            }
        }
        return features;
    }

    // Keeps order-2 normalisation finite where the parent order-1 coefficient is zero.
    private const double Epsilon = 1e-12;
}
