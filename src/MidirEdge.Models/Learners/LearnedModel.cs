namespace MidirEdge.Models.Learners;

/// <summary>A model fitted by a learner: the artefact a bundle stores for it and its prediction of one model input.</summary>
/// <remarks>The device rebuilds the same type from the artefact, so a bundle predicts what the builder predicted.</remarks>
public abstract class LearnedModel
{
    /// <summary>The bundle's <c>model.kind</c>: <c>pls</c>, <c>mbl</c>, <c>gpr</c> or <c>trees</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Latent variables or principal components the model uses; also the size of its applicability domain.</summary>
    public abstract int Components { get; }

    /// <summary>Length of the model input.</summary>
    public abstract int FeatureCount { get; }

    /// <summary>The artefact as bundle JSON.</summary>
    public abstract byte[] ToJson();

    /// <summary>The prediction, on the model's target scale, for one model input.</summary>
    public abstract double Predict(double[] input);
}
