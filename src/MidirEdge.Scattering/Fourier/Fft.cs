using System.Collections.Concurrent;
using System.Numerics;

namespace MidirEdge.Scattering.Fourier;

/// <summary>
/// In-place radix-2 complex FFT of one power-of-two length, on split real/imaginary spans.
/// </summary>
/// <remarks>
/// Chosen over MathNet.Numerics' <c>Fourier</c> and FftSharp after measuring (see the report of issue 3):
/// both take <c>Complex[]</c> (interleaved, allocating or copying per call) and MathNet re-derives its
/// twiddles per call, which costs 3–5× more than a precomputed plan at the 256–8192 sizes scattering
/// uses. A plan owns its bit-reversal table and per-stage twiddles, works on caller-owned spans
/// (allocation-free) and is immutable, so one instance per length is shared by all threads.
/// </remarks>
internal sealed class Fft
{
    private static readonly ConcurrentDictionary<int, Fft> Plans = new();

    private readonly int[] _swapPairs;
    private readonly double[] _twiddleRe;
    private readonly double[] _twiddleIm;

    private Fft(int length)
    {
        Length = length;
        var bits = BitOperations.Log2((uint)length);
        var pairs = new List<int>();
        for (var i = 0; i < length; i++)
        {
            var r = (int)(ReverseBits((uint)i) >> (32 - bits));
            if (bits == 0) r = 0;
            if (r > i) { pairs.Add(i); pairs.Add(r); }
        }
        _swapPairs = pairs.ToArray();

        // Stage with half-size h keeps its twiddles e^{-2πik/(2h)}, k < h, at offset h.
        _twiddleRe = new double[Math.Max(length, 2)];
        _twiddleIm = new double[Math.Max(length, 2)];
        for (var h = 1; h < length; h <<= 1)
        {
            for (var k = 0; k < h; k++)
            {
                var angle = -Math.PI * k / h;
                _twiddleRe[h + k] = Math.Cos(angle);
                _twiddleIm[h + k] = Math.Sin(angle);
            }
        }
    }

    /// <summary>Transform length (a power of two).</summary>
    public int Length { get; }

    /// <summary>The shared plan for a power-of-two length.</summary>
    public static Fft ForLength(int length)
    {
        if (length < 1 || !BitOperations.IsPow2(length))
            throw new ArgumentOutOfRangeException(nameof(length), length, "FFT length must be a power of two.");
        return Plans.GetOrAdd(length, static n => new Fft(n));
    }

    /// <summary>Unnormalised forward DFT, X[k] = Σ x[n] e^{-2πikn/N}.</summary>
    public void Forward(Span<double> re, Span<double> im) => Run(re, im);

    /// <summary>Inverse DFT including the 1/N factor.</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        // Swapping real and imaginary parts turns the forward transform into the conjugate one.
        Run(im, re);
        var scale = 1.0 / Length;
        for (var i = 0; i < Length; i++) { re[i] *= scale; im[i] *= scale; }
    }

    private void Run(Span<double> re, Span<double> im)
    {
        var n = Length;
        re = re[..n];
        im = im[..n];
        var pairs = _swapPairs;
        for (var p = 0; p < pairs.Length; p += 2)
        {
            int a = pairs[p], b = pairs[p + 1];
            (re[a], re[b]) = (re[b], re[a]);
            (im[a], im[b]) = (im[b], im[a]);
        }

        if (n >= 2)
        {
            for (var i = 0; i < n; i += 2)
            {
                double ar = re[i], ai = im[i], br = re[i + 1], bi = im[i + 1];
                re[i] = ar + br; im[i] = ai + bi;
                re[i + 1] = ar - br; im[i + 1] = ai - bi;
            }
        }
        if (n >= 4)
        {
            // h = 2: twiddles 1 and -i.
            for (var i = 0; i < n; i += 4)
            {
                double ar = re[i], ai = im[i], br = re[i + 2], bi = im[i + 2];
                re[i] = ar + br; im[i] = ai + bi;
                re[i + 2] = ar - br; im[i + 2] = ai - bi;
                double cr = re[i + 1], ci = im[i + 1], dr = im[i + 3], di = -re[i + 3];
                re[i + 1] = cr + dr; im[i + 1] = ci + di;
                re[i + 3] = cr - dr; im[i + 3] = ci - di;
            }
        }

        var twRe = _twiddleRe;
        var twIm = _twiddleIm;
        for (var h = 4; h < n; h <<= 1)
        {
            var wr = twRe.AsSpan(h, h);
            var wi = twIm.AsSpan(h, h);
            for (var start = 0; start < n; start += h << 1)
            {
                var xr = re.Slice(start, h);
                var xi = im.Slice(start, h);
                var yr = re.Slice(start + h, h);
                var yi = im.Slice(start + h, h);
                var k = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    var width = Vector<double>.Count;
                    for (; k <= h - width; k += width)
                    {
                        var vwr = new Vector<double>(wr[k..]);
                        var vwi = new Vector<double>(wi[k..]);
                        var vyr = new Vector<double>(yr[k..]);
                        var vyi = new Vector<double>(yi[k..]);
                        var tr = vyr * vwr - vyi * vwi;
                        var ti = vyr * vwi + vyi * vwr;
                        var vxr = new Vector<double>(xr[k..]);
                        var vxi = new Vector<double>(xi[k..]);
                        (vxr + tr).CopyTo(xr[k..]);
                        (vxi + ti).CopyTo(xi[k..]);
                        (vxr - tr).CopyTo(yr[k..]);
                        (vxi - ti).CopyTo(yi[k..]);
                    }
                }
                for (; k < h; k++)
                {
                    var tr = yr[k] * wr[k] - yi[k] * wi[k];
                    var ti = yr[k] * wi[k] + yi[k] * wr[k];
                    yr[k] = xr[k] - tr; yi[k] = xi[k] - ti;
                    xr[k] += tr; xi[k] += ti;
                }
            }
        }
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
