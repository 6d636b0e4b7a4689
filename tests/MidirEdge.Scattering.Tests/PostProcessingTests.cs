using MidirEdge.Scattering.PostProcessing;

namespace MidirEdge.Scattering.Tests;

/// <summary>Log, log1p, order-2 normalisation and flattening.</summary>
public sealed class PostProcessingTests
{
    /// <summary>Log adds epsilon; log1p scales and stays accurate for tiny values.</summary>
    [Fact]
    public void Log_and_log1p()
    {
        double[] values = [0, 1, 1e-20];
        ScatteringPostProcessing.Log(values, 1e-6);
        Assert.Equal(Math.Log(1e-6), values[0], 12);
        Assert.Equal(Math.Log(1 + 1e-6), values[1], 12);

        double[] small = [0, 1, 1e-20];
        ScatteringPostProcessing.Log1p(small, 10);
        Assert.Equal(0, small[0]);
        Assert.Equal(Math.Log(11), small[1], 12);
        Assert.Equal(1e-19, small[2], 1e-33);

        Assert.Throws<ArgumentOutOfRangeException>(() => ScatteringPostProcessing.Log(values, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScatteringPostProcessing.Log1p(values, -1));
    }

    /// <summary>Order-2 paths are divided by their order-1 parent; other paths are untouched.</summary>
    [Fact]
    public void Second_order_is_normalised_by_its_parent()
    {
        var scattering = new Scattering1D(4, 512, 4);
        var x = Enumerable.Range(0, 512).Select(i => Math.Sin(i / 9.0) + Math.Cos(i / 41.0)).ToArray();
        var raw = scattering.Transform(x);
        var normalised = (double[])raw.Clone();
        ScatteringPostProcessing.NormalizeSecondOrder(normalised, scattering.Paths, scattering.TimeLength);
        var time = scattering.TimeLength;
        for (var row = 0; row < scattering.PathCount; row++)
        {
            var path = scattering.Paths[row];
            for (var t = 0; t < time; t++)
            {
                var expected = path.Order == 2 ? raw[row * time + t] / raw[path.Parent * time + t] : raw[row * time + t];
                Assert.Equal(expected, normalised[row * time + t], 15);
            }
        }
        Assert.All(scattering.Paths.Where(p => p.Order == 2), p => Assert.Equal(p.N[0] + 1, p.Parent));
    }

    /// <summary>Flattening copies path-major, optionally without order 0.</summary>
    [Fact]
    public void Flatten_with_and_without_order_zero()
    {
        var scattering = new Scattering1D(3, 128, 2);
        var features = scattering.Transform(Enumerable.Range(0, 128).Select(i => Math.Sin(i / 5.0)).ToArray());
        var all = ScatteringPostProcessing.Flatten(features, scattering.Paths, scattering.TimeLength, includeOrder0: true);
        var withoutZero = ScatteringPostProcessing.Flatten(features, scattering.Paths, scattering.TimeLength, includeOrder0: false);
        Assert.Equal(features, all);
        Assert.Equal(features.Skip(scattering.TimeLength), withoutZero);
        Assert.Throws<ArgumentException>(() => ScatteringPostProcessing.Flatten(features.AsSpan(1), scattering.Paths, scattering.TimeLength, true));
    }
}
