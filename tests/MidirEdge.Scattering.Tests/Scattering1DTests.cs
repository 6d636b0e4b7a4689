using MidirEdge.Scattering;

namespace MidirEdge.Scattering.Tests;

/// <summary>API behaviour of <see cref="Scattering1D"/> beyond the Kymatio references.</summary>
public sealed class Scattering1DTests
{
    private static double[] Spectrum(int n, int seed)
    {
        var random = new Random(seed);
        var x = new double[n];
        for (var i = 0; i < n; i++) x[i] = Math.Exp(-0.5 * Math.Pow((i - n / 3.0) / 40, 2)) + 0.3 * Math.Sin(i / 17.0) + 0.01 * random.NextDouble();
        return x;
    }

    /// <summary>The parallel and serial batch APIs give exactly the single-signal results.</summary>
    [Fact]
    public void Batch_equals_single_transforms()
    {
        var scattering = new Scattering1D(4, 600, 8);
        var signals = Enumerable.Range(0, 7).Select(s => Spectrum(600, s)).ToArray();
        var parallel = scattering.TransformBatch(signals);
        var serial = scattering.TransformBatch(signals, maxDegreeOfParallelism: 1);
        for (var s = 0; s < signals.Length; s++)
        {
            var single = scattering.Transform(signals[s]);
            Assert.Equal(single, parallel[s]);
            Assert.Equal(single, serial[s]);
        }
    }

    /// <summary>
    /// The float32 path computes in single precision on top of a double-precision spectrum of the signal, so it
    /// adds little to the rounding of its input: against the double transform of the same float32 input, every
    /// coefficient is within 1e-5 of its path's largest one (and within 1e-4 against the unrounded input).
    /// </summary>
    [Theory]
    [InlineData(3, 300, 4)]
    [InlineData(4, 1716, 12)]
    [InlineData(6, 1716, 8)]
    public void Float32_matches_double(int j, int n, int q)
    {
        var scattering = new Scattering1D(j, n, q);
        var x = Spectrum(n, 1);
        var rounded = x.Select(v => (float)v).ToArray();
        var exact = scattering.Transform(x);
        var sameInput = scattering.Transform(rounded.Select(v => (double)v).ToArray());
        var actual = scattering.Transform(rounded);
        var computing = WorstRelativeToPathMax(scattering, sameInput, actual);
        var overall = WorstRelativeToPathMax(scattering, exact, actual);
        Assert.True(computing <= 1e-5 && overall <= 1e-4, $"float32 vs double of the same input {computing:E2}, vs the unrounded input {overall:E2}");

        var batch = new float[3 * scattering.OutputLength];
        scattering.TransformBatch(Enumerable.Repeat(rounded, 3).SelectMany(v => v).ToArray(), batch);
        Assert.Equal(actual, batch.AsSpan(2 * scattering.OutputLength).ToArray());
    }

    private static double WorstRelativeToPathMax(Scattering1D scattering, double[] expected, float[] actual)
    {
        var time = scattering.TimeLength;
        var worst = 0.0;
        for (var row = 0; row < scattering.PathCount; row++)
        {
            var max = 0.0;
            for (var t = 0; t < time; t++) max = Math.Max(max, Math.Abs(expected[row * time + t]));
            for (var t = 0; t < time; t++) worst = Math.Max(worst, Math.Abs(expected[row * time + t] - actual[row * time + t]) / max);
        }
        return worst;
    }

    /// <summary>After the first call a transform allocates nothing.</summary>
    [Fact]
    public void Steady_state_transform_does_not_allocate()
    {
        var scattering = new Scattering1D(4, 1716, 12);
        var x = Spectrum(1716, 2);
        var output = new double[scattering.OutputLength];
        var single = x.Select(v => (float)v).ToArray();
        var singleOutput = new float[scattering.OutputLength];
        scattering.Transform(x, output);
        scattering.Transform(single, singleOutput);
        var before = GC.GetAllocatedBytesForCurrentThread();
        scattering.Transform(x, output);
        scattering.Transform(x, output);
        scattering.Transform(single, singleOutput);
        scattering.Transform(single, singleOutput);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The two releases agree on order 0 and unsubsampled paths and differ by powers of two elsewhere.</summary>
    [Fact]
    public void Releases_differ_by_the_periodisation_of_subsampled_filters()
    {
        var x = Spectrum(1024, 3);
        var v03 = new Scattering1D(4, 1024, 8, version: KymatioVersion.V0_3);
        var v04 = new Scattering1D(4, 1024, 8, version: KymatioVersion.V0_4);
        var a = v03.Transform(x);
        var b = v04.Transform(x);
        var time = v03.TimeLength;
        for (var row = 0; row < v03.PathCount; row++)
        {
            var path = v03.Paths[row];
            var k = path.Order switch { 0 => 0, 1 => Math.Min(path.J[0], 4), _ => Math.Min(path.J[0], 4) * 2 + Math.Min(path.J[1], 4) - Math.Min(path.J[0], 4) };
            var ratio = b[row * time + time / 2] / a[row * time + time / 2];
            Assert.Equal(Math.Pow(2, k), ratio, 1e-9 * Math.Pow(2, k));
        }
    }

    /// <summary>A smaller stride gives proportionally more time samples; global averaging gives one.</summary>
    [Fact]
    public void Stride_and_global_average_shape_the_output()
    {
        var x = Spectrum(1024, 4);
        var standard = new Scattering1D(4, 1024, 4);
        var dense = new Scattering1D(4, 1024, 4, stride: 4);
        Assert.Equal(standard.PathCount, dense.PathCount);
        Assert.Equal(1024 / 16, standard.TimeLength);
        Assert.Equal(1024 / 4, dense.TimeLength);
        Assert.All(dense.Transform(x), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(standard.Transform(x), new Scattering1D(4, 1024, 4, stride: 16).Transform(x));

        var global = new Scattering1D(4, 1024, 4, average: ScatteringAverage.Global, version: KymatioVersion.V0_4);
        Assert.Equal(1, global.TimeLength);
        var features = global.Transform(x);
        Assert.Equal(global.PathCount, features.Length);
        Assert.All(features, v => Assert.True(double.IsFinite(v) && v > 0));
    }

    /// <summary>Bad configurations and signals end in ArgumentException with a clear message.</summary>
    [Fact]
    public void Bad_parameters_throw_argument_exceptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScatteringParameters(0, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScatteringParameters(4, 100, q1: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScatteringParameters(4, 100, q2: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScatteringParameters(8, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScatteringParameters(4, 100, t: 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScatteringParameters(4, 100, t: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScatteringParameters(4, 100, maxOrder: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScatteringParameters(4, 100, stride: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScatteringParameters(4, 100, stride: 32));
        Assert.Throws<ArgumentException>(() => new ScatteringParameters(4, 100, average: ScatteringAverage.Global));
        Assert.Throws<ArgumentException>(() => new ScatteringParameters(4, 100, t: 8, average: ScatteringAverage.Global, version: KymatioVersion.V0_4));

        var scattering = new Scattering1D(3, 64, 2);
        var signal = Spectrum(64, 5);
        Assert.Throws<ArgumentException>(() => scattering.Transform(signal.AsSpan(0, 63)));
        Assert.Throws<ArgumentException>(() => scattering.Transform(signal, new double[scattering.OutputLength - 1]));
        signal[10] = double.NaN;
        var error = Assert.Throws<ArgumentException>(() => scattering.Transform(signal));
        Assert.Contains("index 10", error.Message);
        Assert.Throws<ArgumentException>(() => scattering.TransformBatch(new double[100], new double[scattering.OutputLength]));
    }

    /// <summary>Equal configurations share one filter bank; construction is cheap the second time.</summary>
    [Fact]
    public void Equal_parameters_are_equal_keys()
    {
        Assert.Equal(new ScatteringParameters(4, 1716, 12), new ScatteringParameters(4, 1716, 12, 1, 16, 2, 16));
        Assert.NotEqual(new ScatteringParameters(4, 1716, 12), new ScatteringParameters(4, 1716, 12, version: KymatioVersion.V0_4));
    }
}
