using MidirEdge.Scattering.Fourier;

namespace MidirEdge.Scattering.Tests;

/// <summary>The FFT plans against a direct DFT.</summary>
public sealed class FftTests
{
    /// <summary>Every power of two from 1 to 8192, so every plan shape (radix-2, -4, -8 passes, transposed pass, cache blocks) runs.</summary>
    public static TheoryData<int> EveryLength => [.. Enumerable.Range(0, 14).Select(b => 1 << b)];

    /// <summary>Complex forward and inverse transforms match the DFT definition.</summary>
    [Theory]
    [MemberData(nameof(EveryLength))]
    public void Complex_fft_matches_dft(int n)
    {
        var random = new Random(n);
        var re = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (expectedRe, expectedIm) = Dft(re, im, -1);
        var actualRe = (double[])re.Clone();
        var actualIm = (double[])im.Clone();
        Fft<double>.ForLength(n).Forward(actualRe, actualIm);
        AssertClose(expectedRe, actualRe);
        AssertClose(expectedIm, actualIm);
        Fft<double>.ForLength(n).Inverse(actualRe, actualIm);
        AssertClose(re, actualRe);
        AssertClose(im, actualIm);
    }

    /// <summary>The real FFT gives the full Hermitian spectrum and inverts it.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(1024)]
    [InlineData(4096)]
    public void Real_fft_matches_dft(int n)
    {
        var random = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (expectedRe, expectedIm) = Dft(x, new double[n], -1);
        var re = new double[n];
        var im = new double[n];
        RealFft<double>.ForLength(n).Forward(x, re, im);
        AssertClose(expectedRe, re);
        AssertClose(expectedIm, im);
        var back = new double[n];
        RealFft<double>.ForLength(n).Inverse(re, im, back);
        AssertClose(x, back);
    }

    /// <summary>The bit-reversed pair (inverse by decimation in frequency, real forward from bit-reversed input) round-trips.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(256)]
    [InlineData(2048)]
    [InlineData(4096)]
    public void Bit_reversed_paths_match_natural_order(int n)
    {
        var random = new Random(n + 7);
        var re = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var naturalRe = (double[])re.Clone();
        var naturalIm = (double[])im.Clone();
        Fft<double>.ForLength(n).InverseUnscaled(naturalRe, naturalIm);
        var reversedRe = (double[])re.Clone();
        var reversedIm = (double[])im.Clone();
        Fft<double>.ForLength(n).InverseUnscaledToBitReversed(reversedRe, reversedIm);
        var bits = System.Numerics.BitOperations.Log2((uint)n);
        for (var i = 0; i < n; i++)
        {
            var r = Reverse(i, bits);
            Assert.True(Math.Abs(naturalRe[r] - reversedRe[i]) <= 1e-12 * n, $"re {i}");
            Assert.True(Math.Abs(naturalIm[r] - reversedIm[i]) <= 1e-12 * n, $"im {i}");
        }

        // A real signal stored bit-reversed gives the same spectrum as in natural order.
        var x = naturalRe;
        var xReversed = Enumerable.Range(0, n).Select(i => x[Reverse(i, bits)]).ToArray();
        var expectedRe = new double[n];
        var expectedIm = new double[n];
        RealFft<double>.ForLength(n).Forward(x, expectedRe, expectedIm);
        var actualRe = new double[n];
        var actualIm = new double[n];
        xReversed.AsSpan(0, Math.Max(n / 2, 1)).CopyTo(actualRe);
        xReversed.AsSpan(n / 2).CopyTo(actualIm);
        RealFft<double>.ForLength(n).ForwardFromBitReversed(actualRe, actualIm);
        AssertClose(expectedRe, actualRe);
        AssertClose(expectedIm, actualIm);
    }

    /// <summary>The modulus of the inverse transform, fused into the last pass or not, lands in bit-reversed halves.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(2048)]
    [InlineData(4096)]
    public void Inverse_modulus_matches_modulus_of_inverse(int n)
    {
        var random = new Random(n + 11);
        var re = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var naturalRe = (double[])re.Clone();
        var naturalIm = (double[])im.Clone();
        Fft<double>.ForLength(n).InverseUnscaled(naturalRe, naturalIm);
        var half = Math.Max(n / 2, 1);
        var first = new double[half];
        var second = new double[half];
        Fft<double>.ForLength(n).InverseModulusToBitReversed(re, im, 0.25, first, second);
        var bits = System.Numerics.BitOperations.Log2((uint)n);
        for (var i = 0; i < n; i++)
        {
            var r = Reverse(i, bits);
            var expected = 0.25 * Math.Sqrt(naturalRe[r] * naturalRe[r] + naturalIm[r] * naturalIm[r]);
            var actual = i < half ? first[i] : second[i - half];
            Assert.True(Math.Abs(expected - actual) <= 1e-12 * n, $"index {i}: {expected} vs {actual}");
        }
    }

    /// <summary>
    /// Float plans (8 lanes: a transposed pass of three stages, then radix-8 and radix-4 passes) agree with the double
    /// plans (whose transposed pass also does a radix-4 pass) within float rounding, in every entry point the scattering uses.
    /// </summary>
    [Theory]
    [MemberData(nameof(EveryLength))]
    public void Float_plans_match_double_plans(int n)
    {
        var random = new Random(n + 13);
        var re = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        float[] Single(double[] values) => values.Select(v => (float)v).ToArray();

        var (dr, di, fr, fi) = ((double[])re.Clone(), (double[])im.Clone(), Single(re), Single(im));
        Fft<double>.ForLength(n).Forward(dr, di);
        Fft<float>.ForLength(n).Forward(fr, fi);
        AssertNear(dr, fr);
        AssertNear(di, fi);

        (dr, di, fr, fi) = ((double[])re.Clone(), (double[])im.Clone(), Single(re), Single(im));
        Fft<double>.ForLength(n).InverseUnscaledToBitReversed(dr, di);
        Fft<float>.ForLength(n).InverseUnscaledToBitReversed(fr, fi);
        AssertNear(dr, fr);
        AssertNear(di, fi);

        var half = Math.Max(n / 2, 1);
        var (d1, d2, f1, f2) = (new double[half], new double[half], new float[half], new float[half]);
        Fft<double>.ForLength(n).InverseModulusToBitReversed((double[])re.Clone(), (double[])im.Clone(), 0.5, d1, d2);
        Fft<float>.ForLength(n).InverseModulusToBitReversed(Single(re), Single(im), 0.5f, f1, f2);
        AssertNear(d1, f1);
        AssertNear(d2, f2);

        (dr, di, fr, fi) = ((double[])re.Clone(), (double[])im.Clone(), Single(re), Single(im));
        RealFft<double>.ForLength(n).ForwardFromBitReversed(dr, di);
        RealFft<float>.ForLength(n).ForwardFromBitReversed(fr, fi);
        AssertNear(dr, fr);
        AssertNear(di, fi);

        var (window, singleWindow) = (new double[n / 2 + n % 2], new float[n / 2 + n % 2]);
        RealFft<double>.ForLength(n).InverseWindow(dr, di, 1.0, n / 4, window);
        RealFft<float>.ForLength(n).InverseWindow(fr, fi, 1.0f, n / 4, singleWindow);
        AssertNear(window, singleWindow);
        RealFft<double>.ForLength(n).Forward(re, dr, di);
        RealFft<float>.ForLength(n).Forward(Single(re), fr, fi);
        AssertNear(dr, fr);
        AssertNear(di, fi);
    }

    /// <summary>
    /// An input held in the plan's leading bins gives the modulus of the full inverse with those bins and zeros elsewhere,
    /// without reading the rest (NaN there would show).
    /// </summary>
    [Theory]
    [MemberData(nameof(EveryLength))]
    public void Inverse_modulus_of_leading_bins_matches_zero_padded_input(int n)
    {
        LeadingBins<double>(n, 1e-12);
        LeadingBins<float>(n, 1e-5);
    }

    private static void LeadingBins<T>(int n, double tolerance) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var fft = Fft<T>.ForLength(n);
        var leading = fft.LeadingInputBins;
        if (leading == 0) return;
        var random = new Random(n + 23);
        var re = Enumerable.Range(0, n).Select(i => i < leading ? T.CreateChecked(random.NextDouble() - 0.5) : T.Zero).ToArray();
        var im = Enumerable.Range(0, n).Select(i => i < leading ? T.CreateChecked(random.NextDouble() - 0.5) : T.Zero).ToArray();
        var half = Math.Max(n / 2, 1);
        var (expected1, expected2, actual1, actual2) = (new T[half], new T[half], new T[half], new T[half]);
        fft.InverseModulusToBitReversed((T[])re.Clone(), (T[])im.Clone(), T.One, expected1, expected2);
        Array.Fill(re, T.NaN, leading, n - leading);
        Array.Fill(im, T.NaN, leading, n - leading);
        fft.InverseModulusToBitReversed(re, im, T.One, actual1, actual2, leadingBinsOnly: true);
        for (var i = 0; i < half; i++)
        {
            Assert.True(double.Abs(double.CreateChecked(expected1[i] - actual1[i])) <= tolerance * n, $"n {n}, index {i}");
            Assert.True(double.Abs(double.CreateChecked(expected2[i] - actual2[i])) <= tolerance * n, $"n {n}, index {half + i}");
        }
    }

    /// <summary>A modulus left chunk-transposed and read back chunk-transposed gives the same spectrum as the natural layout.</summary>
    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(4096)]
    public void Chunk_transposed_modulus_hand_off_matches_natural_order(int n)
    {
        HandOff<double>(n);
        HandOff<float>(n);
    }

    private static void HandOff<T>(int n) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var real = RealFft<T>.ForLength(n);
        if (!real.TakesTransposedModulus) return;
        var random = new Random(n + 17);
        var re = Enumerable.Range(0, n).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        var (naturalRe, naturalIm, transposedRe, transposedIm) = (new T[n], new T[n], new T[n], new T[n]);
        Fft<T>.ForLength(n).InverseModulusToBitReversed((T[])re.Clone(), (T[])im.Clone(), T.One, naturalRe, naturalIm);
        Fft<T>.ForLength(n).InverseModulusToBitReversed(re, im, T.One, transposedRe, transposedIm, chunksTransposed: true);
        Assert.NotEqual(naturalRe, transposedRe);
        real.ForwardFromBitReversed(naturalRe, naturalIm);
        real.ForwardFromBitReversed(transposedRe, transposedIm, chunksTransposed: true);
        Assert.Equal(naturalRe, transposedRe);
        Assert.Equal(naturalIm, transposedIm);
    }

    /// <summary>Asked for the bins below some bin (and the conjugates from another), the real FFT writes those bins exactly.</summary>
    [Theory]
    [InlineData(64, 10, 64)]
    [InlineData(2048, 246, 1803)]
    [InlineData(4096, 869, 3432)]
    [InlineData(4096, 100, 3432)]
    public void Real_fft_writes_the_bins_below_the_bin_asked(int n, int below, int conjugatesFrom)
    {
        var (fullRe, fullIm, re, im) = RealInput(n, n + below);
        RealFft<double>.ForLength(n).ForwardFromBitReversed(re, im, conjugatesFrom: conjugatesFrom, binsBelow: below);
        var exact = Math.Max(below, n - conjugatesFrom + 1);
        Assert.Equal(fullRe.AsSpan(0, exact).ToArray(), re.AsSpan(0, exact).ToArray());
        Assert.Equal(fullIm.AsSpan(0, exact).ToArray(), im.AsSpan(0, exact).ToArray());
        Assert.Equal(fullRe.AsSpan(conjugatesFrom).ToArray(), re.AsSpan(conjugatesFrom).ToArray());
        Assert.Equal(fullIm.AsSpan(conjugatesFrom).ToArray(), im.AsSpan(conjugatesFrom).ToArray());
        Assert.Equal(fullRe[n / 2], re[n / 2]);
    }

    // A seeded real signal of n points in the FFT's packed input (halves as re and im), and its full real-FFT spectrum.
    private static (double[] FullRe, double[] FullIm, double[] Re, double[] Im) RealInput(int n, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (fullRe, fullIm, re, im) = (new double[n], new double[n], new double[n], new double[n]);
        x.AsSpan(0, n / 2).CopyTo(fullRe);
        x.AsSpan(n / 2).CopyTo(fullIm);
        RealFft<double>.ForLength(n).ForwardFromBitReversed(fullRe, fullIm);
        x.AsSpan(0, n / 2).CopyTo(re);
        x.AsSpan(n / 2).CopyTo(im);
        return (fullRe, fullIm, re, im);
    }

    /// <summary>Asked for the conjugate bins from some bin on, the real FFT writes those exactly and leaves the ones below alone.</summary>
    [Theory]
    [InlineData(64, 40)]
    [InlineData(4096, 3851)]
    [InlineData(4096, 4096)]
    public void Real_fft_writes_conjugates_from_the_bin_asked(int n, int from)
    {
        var (fullRe, fullIm, re, im) = RealInput(n, n + from);
        re.AsSpan(n / 2 + 1).Fill(double.NaN);
        RealFft<double>.ForLength(n).ForwardFromBitReversed(re, im, conjugatesFrom: from);
        Assert.Equal(fullRe.AsSpan(0, n / 2 + 1).ToArray(), re.AsSpan(0, n / 2 + 1).ToArray());
        Assert.Equal(fullRe.AsSpan(from).ToArray(), re.AsSpan(from).ToArray());
        Assert.Equal(fullIm.AsSpan(from).ToArray(), im.AsSpan(from).ToArray());
        Assert.All(re.AsSpan(n / 2 + 1, from - n / 2 - 1).ToArray(), v => Assert.True(double.IsNaN(v)));
    }

    private static void AssertNear(double[] expected, float[] actual)
    {
        var scale = Math.Max(expected.Max(Math.Abs), 1e-30);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * scale, $"index {i}: {expected[i]} vs {actual[i]}");
    }

    private static int Reverse(int value, int bits)
    {
        var result = 0;
        for (var b = 0; b < bits; b++) result |= ((value >> b) & 1) << (bits - 1 - b);
        return result;
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
