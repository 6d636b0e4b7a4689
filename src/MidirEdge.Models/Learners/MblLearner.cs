namespace MidirEdge.Models.Learners;

/// <summary>
/// Memory-based learning (<see cref="MblModel"/>); setting s uses the s-th neighbourhood size, largest (most global, so
/// simplest) first, capped at the training rows; the local PLS models average <paramref name="minComponents"/>…<paramref name="maxComponents"/> components.
/// </summary>
public sealed class MblLearner(int[]? neighbours = null, int minComponents = 3, int maxComponents = 12) : ILearner
{
    private readonly int[] _neighbours = [.. (neighbours ?? [120, 80, 40]).OrderDescending()];

    /// <inheritdoc />
    public string Name => "mbl";

    /// <inheritdoc />
    public int Settings(int rows, int features) => _neighbours.Length;

    /// <inheritdoc />
    public string Describe(int setting) => $"k {_neighbours[setting]}";

    /// <inheritdoc />
    public double[][] FitPredict(double[][] trainX, double[] trainY, double[][] testX, int settings)
    {
        var counts = _neighbours[..settings].Select(k => Math.Min(k, trainX.Length)).ToArray();
        var model = MblModel.Fit(trainX, trainY, counts[0], LocalMin(trainX[0].Length, counts[0]), LocalMax(trainX[0].Length, counts[0]));
        var predictions = new double[settings][];
        for (var s = 0; s < settings; s++) predictions[s] = new double[testX.Length];
        for (var i = 0; i < testX.Length; i++)
        {
            var values = model.Predict(testX[i], counts);
            for (var s = 0; s < settings; s++) predictions[s][i] = values[s];
        }
        return predictions;
    }

    /// <inheritdoc />
    public LearnedModel Fit(double[][] x, double[] y, int setting)
    {
        var k = Math.Min(_neighbours[setting], x.Length);
        return MblModel.Fit(x, y, k, LocalMin(x[0].Length, k), LocalMax(x[0].Length, k));
    }

    private int LocalMax(int features, int k) => Math.Min(maxComponents, Math.Min(k - 1, features));

    private int LocalMin(int features, int k) => Math.Min(minComponents, LocalMax(features, k));
}
