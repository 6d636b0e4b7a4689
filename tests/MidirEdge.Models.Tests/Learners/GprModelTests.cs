using MidirEdge.Models.Learners;

namespace MidirEdge.Models.Tests.Learners;

public sealed class GprModelTests
{
    [Fact]
    public void A_smooth_non_linear_function_is_learned_where_a_linear_model_cannot()
    {
        var random = new Random(7);
        double F(double[] x) => Math.Sin(2 * x[0]) + 0.5 * x[1] * x[1];
        var train = Enumerable.Range(0, 150).Select(_ => new[] { random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2 }).ToArray();
        var y = train.Select(x => F(x) + 0.01 * (random.NextDouble() - 0.5)).ToArray();
        var model = (GprModel)new GprLearner([2]).Fit(train, y, 0);
        var test = Enumerable.Range(0, 50).Select(_ => new[] { random.NextDouble() * 3 - 1.5, random.NextDouble() * 3 - 1.5 }).ToArray();
        var rmse = Math.Sqrt(test.Average(x => Math.Pow(model.Predict(x) - F(x), 2)));
        Assert.True(rmse < 0.05, $"RMSE {rmse:G3} on a function with range ≈ 3");
        Assert.True(model.Artefact.NoiseRatio <= 0.01, $"noise ratio {model.Artefact.NoiseRatio} for nearly noise-free data");
    }

    [Fact]
    public void An_inconsistent_artefact_is_refused()
    {
        var x = Enumerable.Range(0, 20).Select(i => new[] { i * 0.1, Math.Sin(i) }).ToArray();
        var model = (GprModel)new GprLearner([2]).Fit(x, [.. x.Select(r => r[0] + r[1])], 0);
        Assert.Throws<ArgumentException>(() => new GprModel(model.Artefact with { Weights = model.Artefact.Weights[..19] }));
        Assert.Throws<ArgumentException>(() => new GprModel(model.Artefact with { LengthScale = 0 }));
        Assert.Throws<ArgumentException>(() => new GprModel(model.Artefact with { YMean = double.NaN }));
    }
}
