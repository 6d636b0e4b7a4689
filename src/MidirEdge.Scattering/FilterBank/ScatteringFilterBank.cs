using System.Collections.Concurrent;
using System.Numerics;

namespace MidirEdge.Scattering.FilterBank;

/// <summary>
/// Everything a configuration needs before it sees a signal: padding, unpadding indices, the wavelet
/// spectra of both orders and the low-pass at every subsampling level. Built once per
/// <see cref="ScatteringParameters"/> value and shared (it is immutable after construction).
/// </summary>
internal sealed class ScatteringFilterBank
{
    private static readonly ConcurrentDictionary<ScatteringParameters, Lazy<ScatteringFilterBank>> Cache = new();

    private ScatteringFilterBank(ScatteringParameters p)
    {
        Parameters = p;
        var n = p.Length;

        // Padding: three low-pass half-supports on each side, to a power of two, at most ~3N.
        var minToPad = 3 * MorletDesign.LowPassTemporalSupport(n, p.T);
        var log2Padded = Math.Min(CeilLog2((long)n + 2L * minToPad), FloorLog2(3L * n - 2));
        PaddedLength = 1 << log2Padded;
        PadLeft = (PaddedLength - n) / 2;
        PadRight = PaddedLength - n - PadLeft;
        if (Math.Max(PadLeft, PadRight) >= n)
            throw new ArgumentException($"signals of length {n} are too short to be padded to {PaddedLength} samples for T = {p.T}.");

        var family1 = MorletDesign.Family(p.J, p.Q1, p.Version);
        var family2 = p.MaxOrder >= 2 ? MorletDesign.Family(p.J, p.Q2, p.Version) : [];
        var j1s = family1.Select(f => MorletDesign.MaxDyadicSubsampling(f.Xi, f.Sigma)).ToArray();
        var j2s = family2.Select(f => MorletDesign.MaxDyadicSubsampling(f.Xi, f.Sigma)).ToArray();

        var maxJ = Math.Max(j1s.DefaultIfEmpty(0).Max(), j2s.DefaultIfEmpty(0).Max());
        if (p.Average == ScatteringAverage.Global && maxJ > log2Padded)
            throw new ArgumentException($"J = {p.J} is too large for signals of length {n} with global averaging.");

        // Unpadding indices at every resolution that can occur.
        var maxResolution = Math.Max(Math.Max(p.Log2T, p.J), maxJ);
        IndexStart = new int[maxResolution + 1];
        IndexEnd = new int[maxResolution + 1];
        IndexStart[0] = PadLeft;
        IndexEnd[0] = PadLeft + n;
        for (var r = 1; r <= maxResolution; r++)
        {
            IndexStart[r] = IndexStart[r - 1] / 2 + IndexStart[r - 1] % 2;
            IndexEnd[r] = IndexEnd[r - 1] / 2 + IndexEnd[r - 1] % 2;
        }

        var sumLevels = p.Version == KymatioVersion.V0_4;
        var maxInputLevel = Math.Min(j1s.DefaultIfEmpty(0).Max(), log2Padded);
        First = new WaveletFilter[family1.Count];
        for (var i = 0; i < family1.Count; i++)
        {
            var spectrum = MorletDesign.Spectrum(PaddedLength, family1[i].Xi, family1[i].Sigma);
            First[i] = new WaveletFilter(family1[i].Xi, family1[i].Sigma, j1s[i], [spectrum]);
        }
        Second = new WaveletFilter[family2.Count];
        for (var i = 0; i < family2.Count; i++)
        {
            var spectrum = MorletDesign.Spectrum(PaddedLength, family2[i].Xi, family2[i].Sigma);
            Second[i] = new WaveletFilter(family2[i].Xi, family2[i].Sigma, j2s[i], Periodise(spectrum, maxInputLevel, sumLevels));
        }

        LowPassSigma = MorletDesign.Sigma0 / p.T;
        var phi = MorletDesign.Spectrum(PaddedLength, 0, LowPassSigma);
        var phiLevels = Periodise(phi, Math.Min(Math.Max(p.Log2T, maxJ), log2Padded), sumLevels);
        LowPassEven = new double[phiLevels.Length][];
        for (var level = 0; level < phiLevels.Length; level++)
        {
            var h = phiLevels[level];
            var even = new double[h.Length];
            for (var k = 0; k < h.Length; k++) even[k] = 0.5 * (h[k] + h[(h.Length - k) % h.Length]);
            LowPassEven[level] = even;
        }
        LowPassSupports = Array.ConvertAll(LowPassEven, SpectralSupport.Of);
    }

    /// <summary>The configuration.</summary>
    public ScatteringParameters Parameters { get; }

    /// <summary>Padded length (a power of two).</summary>
    public int PaddedLength { get; }

    /// <summary>Reflection padding before the signal.</summary>
    public int PadLeft { get; }

    /// <summary>Reflection padding after the signal.</summary>
    public int PadRight { get; }

    /// <summary>Start of the signal in a path subsampled by 2^r.</summary>
    public int[] IndexStart { get; }

    /// <summary>End (exclusive) of the signal in a path subsampled by 2^r.</summary>
    public int[] IndexEnd { get; }

    /// <summary>First-order wavelets.</summary>
    public WaveletFilter[] First { get; }

    /// <summary>Second-order wavelets (empty for max order 1).</summary>
    public WaveletFilter[] Second { get; }

    /// <summary>Width of the low-pass filter.</summary>
    public double LowPassSigma { get; }

    /// <summary>
    /// Even part of the low-pass spectrum at each level. Kymatio keeps the real part of a complex inverse
    /// FFT; for a real input that equals filtering with the even part, which allows real inverse FFTs.
    /// </summary>
    public double[][] LowPassEven { get; }

    /// <summary>Non-negligible index runs of each <see cref="LowPassEven"/> level.</summary>
    public int[][] LowPassSupports { get; }

    /// <summary>The shared bank for a configuration, built on first use.</summary>
    public static ScatteringFilterBank For(ScatteringParameters parameters)
    {
        var lazy = Cache.GetOrAdd(parameters, static p => new Lazy<ScatteringFilterBank>(() => new ScatteringFilterBank(p)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Cache.TryRemove(new KeyValuePair<ScatteringParameters, Lazy<ScatteringFilterBank>>(parameters, lazy));
            throw;
        }
    }

    private static double[][] Periodise(double[] spectrum, int maxLevel, bool sum)
    {
        var levels = new double[maxLevel + 1][];
        levels[0] = spectrum;
        for (var level = 1; level <= maxLevel; level++)
        {
            var periods = 1 << level;
            var length = spectrum.Length / periods;
            var v = new double[length];
            for (var period = 0; period < periods; period++)
            {
                for (var k = 0; k < length; k++) v[k] += spectrum[period * length + k];
            }
            if (!sum)
            {
                for (var k = 0; k < length; k++) v[k] /= periods;
            }
            levels[level] = v;
        }
        return levels;
    }

    private static int CeilLog2(long value) => value <= 1 ? 0 : 64 - BitOperations.LeadingZeroCount((ulong)(value - 1));

    private static int FloorLog2(long value) => BitOperations.Log2((ulong)value);
}
