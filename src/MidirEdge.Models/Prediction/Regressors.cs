using MidirEdge.Models.Bundles;
using MidirEdge.Models.Onnx;

namespace MidirEdge.Models.Prediction;

/// <summary>The last stage of a model: feature vector in, one value per target out.</summary>
internal interface IRegressor : IDisposable
{
    int FeatureCount { get; }

    void Predict(double[] features, Span<double> values);
}

/// <summary>A PLS model reduced to what prediction needs: ŷ = intercept + x·b per target.</summary>
internal sealed class LinearRegressor : IRegressor
{
    private readonly double[][] _coefficients;
    private readonly double[] _intercepts;

    public LinearRegressor(LinearModelArtefact artefact, int targets)
    {
        if (artefact.Coefficients.IsDefaultOrEmpty || artefact.Coefficients.Length != targets || artefact.Intercepts.Length != targets)
            throw new ArgumentException($"the linear model must hold coefficients and an intercept for each of its {targets} targets.");
        _coefficients = artefact.Coefficients.Select(c => c.ToArray()).ToArray();
        _intercepts = artefact.Intercepts.ToArray();
        FeatureCount = _coefficients[0].Length;
        if (_coefficients.Any(c => c.Length != FeatureCount))
            throw new ArgumentException("the linear model's coefficient vectors differ in length.");
    }

    public int FeatureCount { get; }

    public void Predict(double[] features, Span<double> values)
    {
        for (var t = 0; t < _coefficients.Length; t++)
            values[t] = _intercepts[t] + Domain.Vectors.Dot(features, _coefficients[t]);
    }

    public void Dispose()
    {
    }
}

/// <summary>An ONNX network whose outputs are mapped to targets.</summary>
internal sealed class OnnxRegressor : IRegressor
{
    private readonly OnnxModel _model;
    private readonly string _input;
    private readonly OnnxTarget[] _targets;

    public OnnxRegressor(OnnxModel model, string input, IReadOnlyList<string> targets, IReadOnlyList<OutputMapping> outputs)
    {
        _model = model;
        _input = input;
        _targets = targets.Select(t => outputs.FirstOrDefault(o => o.Target == t) is { } o
                ? new OnnxTarget(t, o.Output, o.Column)
                : throw new ArgumentException($"no ONNX output is mapped to target '{t}'."))
            .ToArray();
        var info = model.Inputs.FirstOrDefault(i => i.Name == input) ?? throw new ArgumentException($"the ONNX model has no input '{input}'.");
        FeatureCount = info.FeatureCount ?? -1;
    }

    /// <summary>Features the network takes, or −1 when its input width is dynamic.</summary>
    public int FeatureCount { get; }

    public void Predict(double[] features, Span<double> values)
    {
        var result = _model.Predict(_input, [features], _targets);
        for (var t = 0; t < _targets.Length; t++) values[t] = result[_targets[t].Name][0];
    }

    public void Dispose() => _model.Dispose();
}
