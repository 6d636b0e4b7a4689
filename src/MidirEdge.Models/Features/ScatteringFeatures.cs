using MidirEdge.Models.Bundles;
using MidirEdge.Scattering;
using MidirEdge.Scattering.PostProcessing;

namespace MidirEdge.Models.Features;

/// <summary>Scattering coefficients of a preprocessed spectrum, post-processed and flattened as a bundle's <see cref="ScatteringSpec"/> says.</summary>
internal sealed class ScatteringFeatures
{
    // Keeps order-2 normalisation finite where a parent order-1 coefficient is zero.
    private const double NormalisationEpsilon = 1e-12;
    private readonly Scattering1D _transform;
    private readonly ScatteringSpec _spec;

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
        FeatureCount = ScatteringPostProcessing.FlattenedLength(_transform.Paths, _transform.TimeLength, spec.IncludeOrder0);
    }

    public int SignalLength => _transform.SignalLength;

    /// <summary>The paths behind the features, in their order (path-major, <see cref="TimeLength"/> values each).</summary>
    public IEnumerable<ScatteringPath> FeaturePaths => _transform.Paths.Where(p => _spec.IncludeOrder0 || p.Order > 0);

    /// <summary>Values per path: positions along the spectrum after the averaging.</summary>
    public int TimeLength => _transform.TimeLength;

    public int FeatureCount { get; }

    public double[] Compute(ReadOnlySpan<double> signal)
    {
        var coefficients = _transform.Transform(signal);
        if (_spec.NormaliseOrder2)
            ScatteringPostProcessing.NormalizeSecondOrder(coefficients, _transform.Paths, _transform.TimeLength, NormalisationEpsilon);
        var features = ScatteringPostProcessing.Flatten(coefficients, _transform.Paths, _transform.TimeLength, _spec.IncludeOrder0);
        if (_spec.Log) ScatteringPostProcessing.Log1p(features, _spec.LogScale);
        return features;
    }
}
