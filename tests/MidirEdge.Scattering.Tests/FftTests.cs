using MidirEdge.Scattering.Fourier;

namespace MidirEdge.Scattering.Tests;

/// <summary>The FFT plans against a direct DFT.</summary>
public sealed class FftTests
{
    /// <summary>Complex forward and inverse transforms match the DFT definition.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(512)]
    public void Complex_fft_matches_dft(int n)
    {
        var random = new Random(n);
        var re = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (expectedRe, expectedIm) = Dft(re, im, -1);
        var actualRe = (double[])re.Clone();
        var actualIm = (double[])im.Clone();
        Fft.ForLength(n).Forward(actualRe, actualIm);
        AssertClose(expectedRe, actualRe);
        AssertClose(expectedIm, actualIm);
        Fft.ForLength(n).Inverse(actualRe, actualIm);
        AssertClose(re, actualRe);
        AssertClose(im, actualIm);
    }

    /// <summary>The real FFT gives the full Hermitian spectrum and inverts it.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(1024)]
    public void Real_fft_matches_dft(int n)
    {
        var random = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (expectedRe, expectedIm) = Dft(x, new double[n], -1);
        var re = new double[n];
        var im = new double[n];
        RealFft.ForLength(n).Forward(x, re, im);
        AssertClose(expectedRe, re);
        AssertClose(expectedIm, im);
        var back = new double[n];
        RealFft.ForLength(n).Inverse(re, im, back);
        AssertClose(x, back);
    }

    private static (double[] Re, double[] Im) Dft(double[] re, double[] im, int sign)
    {
        var n = re.Length;
        var outRe = new double[n];
        var outIm = new double[n];
        for (var k = 0; k < n; k++)
        {
            for (var t = 0; t < n; t++)
            {
                var angle = sign * 2 * Math.PI * ((long)k * t % n) / n;
                outRe[k] += re[t] * Math.Cos(angle) - im[t] * Math.Sin(angle);
                outIm[k] += re[t] * Math.Sin(angle) + im[t] * Math.Cos(angle);
            }
        }
        return (outRe, outIm);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * expected.Length, $"index {i}: {expected[i]} vs {actual[i]}");
    }
}
