using MidirEdge.Models.Learners;

namespace MidirEdge.Models.Prediction;

/// <summary>A one-target model rebuilt from its bundle artefact by the learner that fitted it (mbl, gpr, trees).</summary>
internal sealed class LearnedRegressor : IRegressor
{
    private readonly LearnedModel _model;

    public LearnedRegressor(LearnedModel model, int targets)
    {
        if (targets != 1)
        {
            (model as IDisposable)?.Dispose();
            throw new ArgumentException($"an {model.Kind} model predicts one target; the manifest gives it {targets}.");
        }
        _model = model;
    }

    public int FeatureCount => _model.FeatureCount;

    public void Predict(double[] features, Span<double> values) => values[0] = _model.Predict(features);

    public void Dispose() => (_model as IDisposable)?.Dispose();
}
