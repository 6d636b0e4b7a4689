using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MidirEdge.Scattering.Fourier;

/// <summary>
/// FFT of real signals of one power-of-two length L, computed with a complex FFT of length L/2
/// (even samples as real part, odd samples as imaginary part) and one unpacking pass.
/// </summary>
/// <remarks>
/// The unpacking loops stay on 256-bit vectors: on 512-bit ones (AVX-512) a spectrum measured ~20% slower, since bin k
/// and its partner m−k cannot both be aligned and every unaligned 512-bit load straddles two cache lines.
/// </remarks>
internal sealed class RealFft<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly ConcurrentDictionary<int, RealFft<T>> Plans = new();
    private static readonly T Half = T.CreateChecked(0.5);

    private readonly Fft<T>? _half;
    private readonly T[] _wRe;
    private readonly T[] _wIm;
    private readonly int[] _bitReversed;

    private RealFft(int length)
    {
        Length = length;
        var m = length / 2;
        _half = m >= 1 ? Fft<T>.ForLength(m) : null;
        _wRe = new T[m / 2 + 1];
        _wIm = new T[m / 2 + 1];
        _bitReversed = Fft<T>.BitReversalTable(Math.Max(m, 1));
        var full = Fft<T>.ForLength(length);
        TakesTransposedModulus = m >= 1 && full.FusesModulus && _half!.HasTransposedPass && full.ChunkLength == _half.ChunkLength;
        for (var k = 0; k <= m / 2; k++)
        {
            var angle = -Math.PI * k / m;
            _wRe[k] = T.CreateChecked(Math.Cos(angle));
            _wIm[k] = T.CreateChecked(Math.Sin(angle));
        }
    }

    /// <summary>Signal length (a power of two).</summary>
    public int Length { get; }

    /// <summary>
    /// Whether <see cref="ForwardFromBitReversed"/> can take a modulus left chunk-transposed by the inverse plan of
    /// the same length (the chunks of that plan's fused modulus pass are exactly those of the half-length plan's first pass).
    /// </summary>
    public bool TakesTransposedModulus { get; }

    /// <summary>The shared plan for a power-of-two length.</summary>
    public static RealFft<T> ForLength(int length)
    {
        if (length < 1 || (length & (length - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, "FFT length must be a power of two.");
        return Plans.GetOrAdd(length, static n => new RealFft<T>(n));
    }

    /// <summary>
    /// Full (Hermitian) spectrum of <paramref name="signal"/> into <paramref name="re"/>/<paramref name="im"/>
    /// (each of length L).
    /// </summary>
    public void Forward(ReadOnlySpan<T> signal, Span<T> re, Span<T> im)
    {
        var n = Length;
        if (signal.Length < n || re.Length < n || im.Length < n) throw new ArgumentException("spans shorter than the transform length.");
        if (n == 1) { re[0] = signal[0]; im[0] = T.Zero; return; }
        var m = n / 2;
        ref var x = ref MemoryMarshal.GetReference(signal);
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var i0 = ref MemoryMarshal.GetReference(im);
        for (var i = 0; i < m; i++)
        {
            Unsafe.Add(ref r, i) = Unsafe.Add(ref x, 2 * i);
            Unsafe.Add(ref i0, i) = Unsafe.Add(ref x, 2 * i + 1);
        }
        _half!.Forward(re, im);
        Unpack(re, im, 0);
    }

    /// <summary>
    /// As <see cref="Forward"/>, in place, for a signal stored in bit-reversed order (as left by
    /// <see cref="Fft{T}.InverseUnscaledToBitReversed"/>) whose first half is in <paramref name="re"/> and second half
    /// in <paramref name="im"/> (a length-1 signal: its sample in re[0]). Those halves are the even and the odd
    /// samples, both bit-reversed, which is exactly what the half-length decimation-in-time stages take.
    /// </summary>
    /// <param name="re">First half of the signal in, real parts of the spectrum out.</param>
    /// <param name="im">Second half of the signal in, imaginary parts of the spectrum out.</param>
    /// <param name="chunksTransposed">Whether the signal is chunk-transposed (see <see cref="TakesTransposedModulus"/>).</param>
    /// <param name="conjugatesFrom">Bins above L/2 are written only from this one on (the rest would be unread copies).</param>
    /// <param name="binsBelow">
    /// Bins up to L/2 are written only below this one and below the conjugates' partners (L − conjugatesFrom + 1); the
    /// others are left unread garbage.
    /// </param>
    public void ForwardFromBitReversed(Span<T> re, Span<T> im, bool chunksTransposed = false, int conjugatesFrom = 0, int binsBelow = int.MaxValue)
    {
        var n = Length;
        if (re.Length < n || im.Length < n) throw new ArgumentException("spans shorter than the transform length.");
        if (chunksTransposed && !TakesTransposedModulus) throw new ArgumentException("this plan cannot take a chunk-transposed modulus.", nameof(chunksTransposed));
        if (n == 1) { im[0] = T.Zero; return; }
        _half!.ForwardFromBitReversed(re, im, chunksTransposed);
        Unpack(re, im, conjugatesFrom, binsBelow);
    }

    private void Unpack(Span<T> re, Span<T> im, int conjugatesFrom, int binsBelow = int.MaxValue)
    {
        var n = Length;
        var m = n / 2;
        // Bin k and its partner m − k come from the same pair of half-length bins; pairs from k = below on are not needed.
        var below = Math.Max(binsBelow, n - conjugatesFrom + 1);
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var i0 = ref MemoryMarshal.GetReference(im);

        T z0r = r, z0i = i0;
        r = z0r + z0i; i0 = T.Zero;
        Unsafe.Add(ref r, m) = z0r - z0i; Unsafe.Add(ref i0, m) = T.Zero;
        ref var wRe = ref MemoryMarshal.GetArrayDataReference(_wRe);
        ref var wIm = ref MemoryMarshal.GetArrayDataReference(_wIm);
        var k = 1;
        if (Vector256.IsHardwareAccelerated && Avx2.IsSupported) k = UnpackVectors<Width256<T>, Vector256<T>>(ref r, ref i0, ref wRe, ref wIm, m, below);
        else if (Vector128.IsHardwareAccelerated) k = UnpackVectors<Width128<T>, Vector128<T>>(ref r, ref i0, ref wRe, ref wIm, m, below);
        for (; k < below && k <= m / 2; k++)
        {
            var km = m - k;
            T ar = Unsafe.Add(ref r, k), ai = Unsafe.Add(ref i0, k), br = Unsafe.Add(ref r, km), bi = Unsafe.Add(ref i0, km);
            T er = Half * (ar + br), ei = Half * (ai - bi);
            T or = Half * (ai + bi), oi = -Half * (ar - br);
            T wr = Unsafe.Add(ref wRe, k), wi = Unsafe.Add(ref wIm, k);
            T tr = wr * or - wi * oi, ti = wr * oi + wi * or;
            Unsafe.Add(ref r, k) = er + tr; Unsafe.Add(ref i0, k) = ei + ti;
            Unsafe.Add(ref r, km) = er - tr; Unsafe.Add(ref i0, km) = ti - ei;
        }
        MirrorConjugate(ref r, ref i0, n, Math.Min(m - 1, n - conjugatesFrom));
    }

    /// <summary>
    /// The vector part of <see cref="Unpack"/>: a vector of bins k.. and their partners m−k.. (loaded reversed) per step,
    /// from k = 1 while the two runs do not meet and k &lt; below. Returns the first bin left.
    /// </summary>
    private static int UnpackVectors<TW, TV>(ref T r, ref T i0, ref T wRe, ref T wIm, int m, int below)
        where TW : struct, ITransposableWidth<TV, T> where TV : struct
    {
        var lanes = TW.Lanes;
        var half = TW.Create(Half);
        var k = 1;
        for (; k < below && 2 * k + 2 * (lanes - 1) < m; k += lanes)
        {
            var at = (nuint)k;
            var partner = (nuint)(m - k - lanes + 1);
            TV ar = TW.Load(ref r, at), ai = TW.Load(ref i0, at);
            TV br = TW.Reverse(TW.Load(ref r, partner)), bi = TW.Reverse(TW.Load(ref i0, partner));
            TV er = TW.Multiply(half, TW.Add(ar, br)), ei = TW.Multiply(half, TW.Subtract(ai, bi));
            TV or = TW.Multiply(half, TW.Add(ai, bi)), oi = TW.Multiply(half, TW.Subtract(br, ar));
            TV wr = TW.Load(ref wRe, at), wi = TW.Load(ref wIm, at);
            TV tr = TW.Subtract(TW.Multiply(wr, or), TW.Multiply(wi, oi)), ti = TW.Add(TW.Multiply(wr, oi), TW.Multiply(wi, or));
            TW.Store(TW.Add(er, tr), ref r, at); TW.Store(TW.Add(ei, ti), ref i0, at);
            TW.Store(TW.Reverse(TW.Subtract(er, tr)), ref r, partner); TW.Store(TW.Reverse(TW.Subtract(ti, ei)), ref i0, partner);
        }
        return k;
    }

    /// <summary>Bins n-1 down to n-last of a real signal's spectrum as the conjugates of bins 1..last (last &lt; n/2).</summary>
    private static void MirrorConjugate(ref T r, ref T i0, int n, int last)
    {
        var k = 1;
        if (Vector256.IsHardwareAccelerated && Avx2.IsSupported) k = MirrorConjugateVectors<Width256<T>, Vector256<T>>(ref r, ref i0, n, last);
        else if (Vector128.IsHardwareAccelerated) k = MirrorConjugateVectors<Width128<T>, Vector128<T>>(ref r, ref i0, n, last);
        for (; k <= last; k++)
        {
            Unsafe.Add(ref r, n - k) = Unsafe.Add(ref r, k);
            Unsafe.Add(ref i0, n - k) = -Unsafe.Add(ref i0, k);
        }
    }

    /// <summary>The vector part of <see cref="MirrorConjugate"/>; returns the first bin left.</summary>
    private static int MirrorConjugateVectors<TW, TV>(ref T r, ref T i0, int n, int last)
        where TW : struct, ITransposableWidth<TV, T> where TV : struct
    {
        var lanes = TW.Lanes;
        var k = 1;
        for (; k + lanes - 1 <= last; k += lanes)
        {
            var at = (nuint)k;
            var mirror = (nuint)(n - k - lanes + 1);
            TW.Store(TW.Reverse(TW.Load(ref r, at)), ref r, mirror);
            TW.Store(TW.Negate(TW.Reverse(TW.Load(ref i0, at))), ref i0, mirror);
        }
        return k;
    }

    /// <summary>
    /// Real signal whose spectrum is the Hermitian half-spectrum <paramref name="re"/>/<paramref name="im"/>
    /// (bins 0..L/2; the imaginary parts of bins 0 and L/2 are ignored). Overwrites the spans.
    /// Includes the 1/L factor.
    /// </summary>
    public void Inverse(Span<T> re, Span<T> im, Span<T> signal) => InverseWindow(re, im, T.One, 0, signal[..Length]);

    /// <summary>
    /// Samples start.. (as many as <paramref name="destination"/> holds) of <see cref="Inverse"/>, times
    /// <paramref name="scale"/>. The half-length transform runs by decimation in frequency and the window is read
    /// through the bit-reversal table, so no reordering pass runs over the whole signal.
    /// </summary>
    public void InverseWindow(Span<T> re, Span<T> im, T scale, int start, Span<T> destination)
    {
        var n = Length;
        if (start < 0 || start + destination.Length > n) throw new ArgumentOutOfRangeException(nameof(start), start, "window outside the signal.");
        if (n == 1) { if (destination.Length == 1) destination[0] = re[0] * scale; return; }
        var m = n / 2;
        T x0 = re[0], xm = re[m];
        re[0] = Half * (x0 + xm);
        im[0] = Half * (x0 - xm);
        var k = 1;
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var i0 = ref MemoryMarshal.GetReference(im);
        ref var wRe = ref MemoryMarshal.GetArrayDataReference(_wRe);
        ref var wIm = ref MemoryMarshal.GetArrayDataReference(_wIm);
        if (Vector256.IsHardwareAccelerated && Avx2.IsSupported) k = PackVectors<Width256<T>, Vector256<T>>(ref r, ref i0, ref wRe, ref wIm, m);
        else if (Vector128.IsHardwareAccelerated) k = PackVectors<Width128<T>, Vector128<T>>(ref r, ref i0, ref wRe, ref wIm, m);
        for (; k <= m / 2; k++)
        {
            var km = m - k;
            T ar = re[k], ai = im[k], br = re[km], bi = im[km];
            T er = Half * (ar + br), ei = Half * (ai - bi);
            T dr = Half * (ar - br), di = Half * (ai + bi);
            T wr = _wRe[k], wi = -_wIm[k];
            T or = dr * wr - di * wi, oi = dr * wi + di * wr;
            // Z[k] = E + iO, Z[m-k] = conj(E) + i conj(O)
            re[k] = er - oi; im[k] = ei + or;
            re[km] = er + oi; im[km] = -ei + or;
        }
        _half!.InverseUnscaledToBitReversed(re[..m], im[..m]);
        // Sample 2i is Re z[i], sample 2i+1 is Im z[i]; z[i] sits at the bit-reversed position of i.
        scale /= T.CreateChecked(m);
        var reversed = _bitReversed;
        for (var t = 0; t < destination.Length; t++)
        {
            var sample = start + t;
            var at = reversed[sample >> 1];
            destination[t] = ((sample & 1) == 0 ? re[at] : im[at]) * scale;
        }
    }

    /// <summary>
    /// The vector part of packing a half-spectrum for <see cref="InverseWindow"/>, as in <see cref="UnpackVectors"/>: a
    /// vector of bins k.. and their partners m−k.. per step, while the two runs do not meet. Returns the first bin left.
    /// </summary>
    private static int PackVectors<TW, TV>(ref T r, ref T i0, ref T wRe, ref T wIm, int m)
        where TW : struct, ITransposableWidth<TV, T> where TV : struct
    {
        var lanes = TW.Lanes;
        var half = TW.Create(Half);
        var k = 1;
        for (; 2 * k + 2 * (lanes - 1) < m; k += lanes)
        {
            var at = (nuint)k;
            var partner = (nuint)(m - k - lanes + 1);
            TV ar = TW.Load(ref r, at), ai = TW.Load(ref i0, at);
            TV br = TW.Reverse(TW.Load(ref r, partner)), bi = TW.Reverse(TW.Load(ref i0, partner));
            TV er = TW.Multiply(half, TW.Add(ar, br)), ei = TW.Multiply(half, TW.Subtract(ai, bi));
            TV dr = TW.Multiply(half, TW.Subtract(ar, br)), di = TW.Multiply(half, TW.Add(ai, bi));
            TV wr = TW.Load(ref wRe, at), wi = TW.Negate(TW.Load(ref wIm, at));
            TV or = TW.Subtract(TW.Multiply(dr, wr), TW.Multiply(di, wi)), oi = TW.Add(TW.Multiply(dr, wi), TW.Multiply(di, wr));
            TW.Store(TW.Subtract(er, oi), ref r, at); TW.Store(TW.Add(ei, or), ref i0, at);
            TW.Store(TW.Reverse(TW.Add(er, oi)), ref r, partner); TW.Store(TW.Reverse(TW.Subtract(or, ei)), ref i0, partner);
        }
        return k;
    }
}
