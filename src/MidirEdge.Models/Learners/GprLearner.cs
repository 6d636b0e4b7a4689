using MidirEdge.Models.Domain;

namespace MidirEdge.Models.Learners;

/// <summary>Gaussian process regression on PCA scores (<see cref="GprModel"/>); setting s keeps the s-th number of components, fewest first.</summary>
public sealed class GprLearner(int[]? components = null) : ILearner
{
    private readonly int[] _components = [.. (components ?? [5, 10, 20, 30]).Order()];

    /// <inheritdoc />
    public string Name => "gpr";

    /// <inheritdoc />
    public int Settings(int rows, int features) => _components.Length;

    /// <inheritdoc />
    public string Describe(int setting) => $"{_components[setting]} PC";

    /// <inheritdoc />
    public double[][] FitPredict(double[][] trainX, double[] trainY, double[][] testX, int settings)
    {
        var decomposition = Pca.Decompose(trainX, scale: false);
        var predictions = new double[settings][];
        for (var s = 0; s < settings; s++)
        {
            var model = GprModel.Fit(decomposition, trainX, trainY, _components[s]);
            predictions[s] = Array.ConvertAll(testX, model.Predict);
        }
        return predictions;
    }

    /// <inheritdoc />
    public LearnedModel Fit(double[][] x, double[] y, int setting) => GprModel.Fit(Pca.Decompose(x, scale: false), x, y, _components[setting]);
}
