using System.Collections.Immutable;
using MidirEdge.Models.Building;
using MidirEdge.Models.Bundles;

namespace MidirEdge.Models.Learners;

/// <summary>Non-negative stacking (Breiman 1996): least squares with weights ≥ 0 and no intercept on columns that are other models' predictions.</summary>
public sealed class StackingLearner : ILearner
{
    /// <inheritdoc />
    public string Name => "stack";

    /// <inheritdoc />
    public int Settings(int rows, int features) => 1;

    /// <inheritdoc />
    public string Describe(int setting) => "NNLS";

    /// <inheritdoc />
    public double[][] FitPredict(double[][] trainX, double[] trainY, double[][] testX, int settings)
    {
        var model = (StackedModel)Fit(trainX, trainY, 0);
        return [Array.ConvertAll(testX, model.Predict)];
    }

    /// <inheritdoc />
    public LearnedModel Fit(double[][] x, double[] y, int setting) =>
        new StackedModel(new LinearModelArtefact("nnls", x[0].Length, [[.. NonNegativeLeastSquares.Solve(x, y)]], [0.0]));
}

/// <summary>An ensemble's combination of its members' predictions (in the target's unit): ŷ = intercept + Σ wₘ·ŷₘ, stored as a linear model artefact.</summary>
/// <param name="artefact">The weights, one per member, as the coefficients of a one-target linear model.</param>
public sealed class StackedModel(LinearModelArtefact artefact) : LearnedModel
{
    /// <summary>The weights the bundle stores.</summary>
    public LinearModelArtefact Artefact { get; } = artefact;

    /// <summary>Weight of each member.</summary>
    public ImmutableArray<double> Weights => Artefact.Coefficients[0];

    /// <inheritdoc />
    public override string Kind => "ensemble";

    /// <inheritdoc />
    public override int Components => Artefact.Components;

    /// <inheritdoc />
    public override int FeatureCount => Artefact.Coefficients[0].Length;

    /// <inheritdoc />
    public override byte[] ToJson() => BundleWriter.ToJson(Artefact);

    /// <inheritdoc />
    public override double Predict(double[] input) => Artefact.Intercepts[0] + Domain.Vectors.Dot(input, Artefact.Coefficients[0].AsSpan());
}
