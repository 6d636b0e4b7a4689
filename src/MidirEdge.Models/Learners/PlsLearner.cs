using MidirEdge.Models.Bundles;
using MidirEdge.Models.Pls;

namespace MidirEdge.Models.Learners;

/// <summary>Partial least squares (kernel algorithm); the settings are 1…<paramref name="maxComponents"/> components.</summary>
public sealed class PlsLearner(int maxComponents = 15) : ILearner
{
    /// <inheritdoc />
    public string Name => "pls";

    /// <inheritdoc />
    public int Settings(int rows, int features) => Math.Max(1, Math.Min(maxComponents, Math.Min(rows - 2, features)));

    /// <inheritdoc />
    public string Describe(int setting) => $"{setting + 1} LV";

    /// <inheritdoc />
    public double[][] FitPredict(double[][] trainX, double[] trainY, double[][] testX, int settings)
    {
        var pls = PlsRegression.Fit(Matrices.From(trainX), trainY, settings);
        var predictions = new double[settings][];
        for (var a = 0; a < settings; a++) predictions[a] = new double[testX.Length];
        var value = new double[1];
        for (var i = 0; i < testX.Length; i++)
            for (var a = 1; a <= settings; a++)
            {
                pls.Predict(testX[i], value, a);
                predictions[a - 1][i] = value[0];
            }
        return predictions;
    }

    /// <inheritdoc />
    public LearnedModel Fit(double[][] x, double[] y, int setting)
    {
        var components = setting + 1;
        var pls = PlsRegression.Fit(Matrices.From(x), y, components);
        return new PlsLearnedModel(new LinearModelArtefact("kernel", components, [[.. pls.Coefficients(components, 0)]], [pls.Intercepts(components)[0]]));
    }
}

/// <summary>A fitted PLS model: ŷ = intercept + x·b, stored as a <c>pls</c> artefact.</summary>
/// <param name="artefact">The linear model.</param>
public sealed class PlsLearnedModel(LinearModelArtefact artefact) : LearnedModel
{
    /// <summary>The linear model the bundle stores.</summary>
    public LinearModelArtefact Artefact { get; } = artefact;

    /// <inheritdoc />
    public override string Kind => "pls";

    /// <inheritdoc />
    public override int Components => Artefact.Components;

    /// <inheritdoc />
    public override int FeatureCount => Artefact.Coefficients[0].Length;

    /// <inheritdoc />
    public override byte[] ToJson() => BundleWriter.ToJson(Artefact);

    /// <inheritdoc />
    public override double Predict(double[] input) => Artefact.Intercepts[0] + Domain.Vectors.Dot(input, Artefact.Coefficients[0].AsSpan());
}
