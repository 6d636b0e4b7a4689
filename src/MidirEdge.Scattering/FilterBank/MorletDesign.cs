using System.Numerics;
using MidirEdge.Scattering.Fourier;

namespace MidirEdge.Scattering.FilterBank;

/// <summary>
/// Kymatio's Morlet/Gabor filter bank design: centre frequencies and widths, Morlet and Gaussian
/// spectra sampled on the DFT grid, and the temporal support used to choose the padding.
/// </summary>
internal static class MorletDesign
{
    /// <summary>Low-pass width at scale 1 (sigma_min = Sigma0 / 2^J, low-pass sigma = Sigma0 / T).</summary>
    public const double Sigma0 = 0.1;

    /// <summary>Aliasing tolerance in the maximal-subsampling rule.</summary>
    public const double Alpha = 5.0;

    /// <summary>Amplitude at which adjacent wavelets meet.</summary>
    public static readonly double RPsi = Math.Sqrt(0.5);

    private const double PeriodisationEpsilon = 1e-7;
    private const int MaxPeriods = 5;
    private const double SupportCriterion = 1e-3;

    /// <summary>Largest centre frequency of a family with Q wavelets per octave.</summary>
    public static double XiMax(int q) => Math.Max(1.0 / (1.0 + Math.Pow(2.0, 3.0 / q)), 0.35);

    /// <summary>Frequency width of the wavelet at <paramref name="xi"/> in a family with Q wavelets per octave.</summary>
    public static double SigmaPsi(double xi, int q)
    {
        var factor = 1.0 / Math.Pow(2, 1.0 / q);
        var term1 = (1 - factor) / (1 + factor);
        var term2 = 1.0 / Math.Sqrt(2 * Math.Log(1.0 / RPsi));
        return xi * term1 * term2;
    }

    /// <summary>Largest j such that a filter (xi, sigma) can be subsampled by 2^j without aliasing.</summary>
    public static int MaxDyadicSubsampling(double xi, double sigma)
    {
        var upper = Math.Min(Math.Abs(xi) + Alpha * sigma, 0.5);
        return (int)Math.Floor(-Math.Log2(upper)) - 1;
    }

    /// <summary>
    /// Centre frequencies and widths of one wavelet family: a geometric (constant-Q) progression down to
    /// the elbow, then Q−1 filters in arithmetic progression with width sigma_min. The two Kymatio
    /// versions compute the arithmetic part with different rounding.
    /// </summary>
    public static List<(double Xi, double Sigma)> Family(int j, int q, KymatioVersion version)
    {
        var result = new List<(double, double)>();
        var xi = XiMax(q);
        var sigma = SigmaPsi(xi, q);
        var sigmaMin = Sigma0 / Math.Pow(2, j);
        var ratio = Math.Pow(2, 1.0 / q);
        if (sigma <= sigmaMin)
        {
            xi = sigma;
        }
        else
        {
            result.Add((xi, sigma));
            while (sigma > sigmaMin * ratio)
            {
                xi /= ratio;
                sigma /= ratio;
                result.Add((xi, sigma));
            }
        }

        var elbow = xi;
        for (var step = 1; step < q; step++)
        {
            if (version == KymatioVersion.V0_3)
            {
                result.Add((elbow - (double)step / q * elbow, sigmaMin));
            }
            else
            {
                xi -= 1.0 / q * elbow;
                result.Add((xi, sigmaMin));
            }
        }
        return result;
    }

    /// <summary>
    /// Spectrum (on np.fft.fftfreq's grid) of a Morlet wavelet of centre <paramref name="xi"/> and width
    /// <paramref name="sigma"/>, or of a Gaussian low-pass when xi = 0, L1-normalised in time.
    /// </summary>
    public static double[] Spectrum(int n, double xi, double sigma)
    {
        var p = Math.Min((int)Math.Ceiling(Math.Sqrt(-2 * (sigma * sigma) * Math.Log(PeriodisationEpsilon)) + 1), MaxPeriods);
        var periods = 2 * p - 1;
        var twoSigma2 = 2 * (sigma * sigma);
        var low = new double[n];
        var gabor = new double[n];
        for (var period = 0; period < periods; period++)
        {
            for (var k = 0; k < n; k++)
            {
                var f = (double)((long)(1 - p) * n + (long)period * n + k) / n;
                double fLow;
                if (p == 1)
                {
                    var signedIndex = k < (n - 1) / 2 + 1 ? k : k - n;
                    fLow = signedIndex * (1.0 / n);
                }
                else
                {
                    fLow = f;
                }
                low[k] += Math.Exp(-(fLow * fLow) / twoSigma2);
                if (xi != 0) gabor[k] += Math.Exp(-((f - xi) * (f - xi)) / twoSigma2);
            }
        }
        for (var k = 0; k < n; k++) { low[k] /= periods; gabor[k] /= periods; }

        double[] filter;
        if (xi != 0)
        {
            var kappa = gabor[0] / low[0];
            filter = new double[n];
            for (var k = 0; k < n; k++) filter[k] = gabor[k] - kappa * low[k];
        }
        else
        {
            filter = low;
        }

        var impulse = InverseDft(filter);
        var l1 = 0.0;
        for (var t = 0; t < n; t++) l1 += Math.Sqrt(impulse.Re[t] * impulse.Re[t] + impulse.Im[t] * impulse.Im[t]);
        for (var k = 0; k < n; k++) filter[k] /= l1;
        return filter;
    }

    /// <summary>
    /// Half temporal support of the L1-normalised Gaussian low-pass of width Sigma0/T on N samples: the
    /// first time index where the L1 mass of the remaining half falls under 1e-3 (plus one).
    /// </summary>
    public static int LowPassTemporalSupport(int n, int t)
    {
        var spectrum = Spectrum(n, 0, Sigma0 / t);
        var impulse = InverseDft(spectrum);
        var half = n / 2;
        var residual = 0.0;
        var support = half;
        for (var i = half - 1; i >= 0; i--)
        {
            residual += Math.Sqrt(impulse.Re[i] * impulse.Re[i] + impulse.Im[i] * impulse.Im[i]);
            if (residual <= SupportCriterion) support = i + 1;
        }
        return support;
    }

    /// <summary>Inverse DFT (with 1/N) of a real spectrum of any length; FFT for powers of two.</summary>
    private static (double[] Re, double[] Im) InverseDft(double[] spectrum)
    {
        var n = spectrum.Length;
        var re = (double[])spectrum.Clone();
        var im = new double[n];
        if (BitOperations.IsPow2(n))
        {
            Fft<double>.ForLength(n).Inverse(re, im);
            return (re, im);
        }

        var cos = new double[n];
        var sin = new double[n];
        for (var m = 0; m < n; m++)
        {
            var angle = 2 * Math.PI * m / n;
            cos[m] = Math.Cos(angle);
            sin[m] = Math.Sin(angle);
        }
        var outRe = new double[n];
        var outIm = new double[n];
        for (var t = 0; t < n; t++)
        {
            double sr = 0, si = 0;
            var index = 0;
            for (var k = 0; k < n; k++)
            {
                sr += spectrum[k] * cos[index];
                si += spectrum[k] * sin[index];
                index += t;
                if (index >= n) index -= n;
            }
            outRe[t] = sr / n;
            outIm[t] = si / n;
        }
        return (outRe, outIm);
    }
}
