using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MidirEdge.Scattering.Fourier;

/// <summary>
/// In-place complex FFT of one power-of-two length on split real/imaginary spans of <typeparamref name="T"/>
/// (double or float): the first log2(lanes) stages as one pass over 4×4-transposed vectors, then radix-8 and radix-4
/// passes (three or two radix-2 stages per pass over the data) on <see cref="Vector256{T}"/>, and passes that fit a
/// cache block run block by block.
/// </summary>
/// <remarks>
/// Chosen by measurement over MathNet.Numerics 5.0 <c>Fourier</c> and FftSharp 2.2 (length 4096, CPU time
/// per transform on the build machine, best of 5): this plan ≈ 14 µs, MathNet ≈ 260 µs, FftSharp ≈ 570 µs.
/// Both libraries work on <c>Complex[]</c> (interleaved, copied or allocated per call) and recompute
/// twiddles per call; a scattering transform runs ~100 FFTs per spectrum, so that dominates. A plan here
/// owns its bit-reversal table and per-stage twiddles, works on caller-owned spans (allocation-free) and
/// is immutable, so one instance per length is shared by all threads. Float plans do the same work on twice
/// as many lanes per vector.
/// </remarks>
internal sealed class Fft<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly ConcurrentDictionary<int, Fft<T>> Plans = new();

    /// <summary>Samples per vector: 4 doubles or 8 floats.</summary>
    private static readonly int Lanes = Vector256<T>.Count;

    private readonly int[] _swapPairs;
    private readonly AlignedBuffer<T> _twiddleRe;
    private readonly AlignedBuffer<T> _twiddleIm;

    /// <summary>log2 of the lanes when the transposed pass runs (it then does this many stages plus a radix-4 pass), else 0.</summary>
    private readonly int _transposedStages;

    /// <summary>
    /// Whether the transposed pass also does the radix-4 pass of half-size lanes (on its four vectors, untransposed).
    /// Measured: pays with 4 lanes (doubles), not with 8 (floats, whose transposed pass already does a third stage).
    /// </summary>
    private readonly bool _fusesRadixFour;

    /// <summary>Whether the transposed pass runs on 512-bit vectors of doubles (8 lanes).</summary>
    private readonly bool _wide;

    /// <summary>Radix-2 stages (1, 2 or 3) done by each pass after the transposed one, in decimation-in-time order.</summary>
    private readonly int[] _passStages;

    /// <summary>
    /// Float only (8 lanes): the transposed pass's third stage (h = 4) pairs the lower and the upper half of
    /// transposed vector j with twiddle w_j = e^{-2πij/8}: it multiplies by [1 | w_j] (four vectors, j = 0..3) and
    /// adds the vector with its halves swapped to the vector times [+1 | −1].
    /// </summary>
    private readonly AlignedBuffer<T> _halfRe, _halfIm, _halfSign;

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
        _twiddleRe = new AlignedBuffer<T>(Math.Max(length, 2));
        _twiddleIm = new AlignedBuffer<T>(Math.Max(length, 2));
        for (var h = 1; h < length; h <<= 1)
        {
            for (var k = 0; k < h; k++)
            {
                var angle = -Math.PI * k / h;
                _twiddleRe.Span[h + k] = T.CreateChecked(Math.Cos(angle));
                _twiddleIm.Span[h + k] = T.CreateChecked(Math.Sin(angle));
            }
        }

        // The transposed pass takes 4 vectors (4·lanes samples) at a time and needs AVX for its shuffles; doubles take
        // 512-bit vectors where the CPU has AVX-512.
        _wide = typeof(T) == typeof(double) && Avx512F.IsSupported && Vector512.IsHardwareAccelerated && length >= 4 * Lanes512;
        var lanes = _wide ? Lanes512 : Lanes;
        var transposed = _wide || (Avx2.IsSupported && Vector256<T>.IsSupported && length >= 4 * Lanes) ? BitOperations.Log2((uint)lanes) : 0;
        _transposedStages = transposed;
        ChunkLength = transposed > 0 ? 4 * lanes : 0;
        _fusesRadixFour = transposed > 0 && typeof(T) == typeof(double);
        var fused = transposed + (_fusesRadixFour ? 2 : 0);
        _passStages = PassStages(bits - fused, 1 << fused, Math.Min(length, CacheBlock), radixEight: transposed > 0);

        _halfRe = new AlignedBuffer<T>(4 * lanes);
        _halfIm = new AlignedBuffer<T>(4 * lanes);
        _halfSign = new AlignedBuffer<T>(lanes);
        var quarter = lanes / 2;
        for (var lane = 0; lane < lanes; lane++) _halfSign.Span[lane] = lane < quarter ? T.One : -T.One;
        for (var j = 0; j < 4; j++)
        {
            T wr = T.CreateChecked(Math.Cos(-Math.PI * j / 4)), wi = T.CreateChecked(Math.Sin(-Math.PI * j / 4));
            for (var lane = 0; lane < lanes; lane++)
            {
                var upper = lane >= quarter;
                _halfRe.Span[j * lanes + lane] = upper ? wr : T.One;
                _halfIm.Span[j * lanes + lane] = upper ? wi : T.Zero;
            }
        }
    }

    /// <summary>
    /// Stages per pass for the <paramref name="stages"/> radix-2 stages from half-size <paramref name="h"/> on: fewest
    /// passes, then fewest radix-2 ones, with radix-8 passes only inside a cache block (over the whole array their
    /// sixteen strided streams measured slower than radix-4) and a radix-2 pass only last (it spans the whole array).
    /// </summary>
    private static int[] PassStages(int stages, int h, int block, bool radixEight)
    {
        if (stages == 0) return [];
        if (stages == 1) return [1];
        int[]? best = null;
        foreach (var pass in radixEight && h << 3 <= block && stages >= 3 ? new[] { 3, 2 } : [2])
        {
            int[] plan = [pass, .. PassStages(stages - pass, h << pass, block, radixEight)];
            if (best is null || plan.Length < best.Length || (plan.Length == best.Length && plan[^1] != 1 && best[^1] == 1)) best = plan;
        }
        return best!;
    }

    /// <summary>Transform length (a power of two).</summary>
    public int Length { get; }

    /// <summary>The shared plan for a power-of-two length.</summary>
    public static Fft<T> ForLength(int length)
    {
        if (length < 1 || !BitOperations.IsPow2(length))
            throw new ArgumentOutOfRangeException(nameof(length), length, "FFT length must be a power of two.");
        return Plans.GetOrAdd(length, static n => new Fft<T>(n));
    }

    /// <summary>Unnormalised forward DFT, X[k] = Σ x[n] e^{-2πikn/N}.</summary>
    public void Forward(Span<T> re, Span<T> im) => Run(re, im);

    /// <summary>Inverse DFT without the 1/N factor, x[n] = Σ X[k] e^{2πikn/N}.</summary>
    public void InverseUnscaled(Span<T> re, Span<T> im) => Run(im, re);

    /// <summary>Inverse DFT including the 1/N factor.</summary>
    public void Inverse(Span<T> re, Span<T> im)
    {
        // Swapping real and imaginary parts turns the forward transform into the conjugate one.
        Run(im, re);
        var scale = T.One / T.CreateChecked(Length);
        for (var i = 0; i < Length; i++) { re[i] *= scale; im[i] *= scale; }
    }

    private void Run(Span<T> re, Span<T> im)
    {
        BitReverse(re, im);
        DecimateInTime(re, im, chunksTransposed: false);
    }

    private void BitReverse(Span<T> re, Span<T> im)
    {
        var n = Length;
        if (re.Length < n || im.Length < n) throw new ArgumentException("spans shorter than the transform length.");
        ref var r0 = ref MemoryMarshal.GetReference(re);
        ref var i0 = ref MemoryMarshal.GetReference(im);
        var pairs = _swapPairs;
        for (var p = 0; p < pairs.Length; p += 2)
        {
            int a = pairs[p], b = pairs[p + 1];
            (Unsafe.Add(ref r0, a), Unsafe.Add(ref r0, b)) = (Unsafe.Add(ref r0, b), Unsafe.Add(ref r0, a));
            (Unsafe.Add(ref i0, a), Unsafe.Add(ref i0, b)) = (Unsafe.Add(ref i0, b), Unsafe.Add(ref i0, a));
        }
    }

    /// <summary>
    /// Forward DFT of input given in bit-reversed order; output in natural order. With
    /// <paramref name="chunksTransposed"/> the input is as <see cref="InverseModulusToBitReversed"/> leaves it with that
    /// flag: each chunk of the transposed pass still transposed (needs <see cref="HasTransposedPass"/>).
    /// </summary>
    public void ForwardFromBitReversed(Span<T> re, Span<T> im, bool chunksTransposed = false)
    {
        if (chunksTransposed && !HasTransposedPass) throw new ArgumentException("this plan has no transposed pass.", nameof(chunksTransposed));
        DecimateInTime(re, im, chunksTransposed);
    }

    /// <summary>Unnormalised inverse DFT of natural-order input; output in bit-reversed order.</summary>
    public void InverseUnscaledToBitReversed(Span<T> re, Span<T> im) => DecimateInFrequency(im, re, default);

    /// <summary>
    /// scale · |unnormalised inverse DFT| of natural-order input, in bit-reversed order: its first half into
    /// <paramref name="firstHalf"/>, its second half into <paramref name="secondHalf"/> (length 1: firstHalf[0]).
    /// The modulus is taken inside the last pass, while the values are in registers. Overwrites re and im.
    /// With <paramref name="chunksTransposed"/> (needs <see cref="FusesModulus"/>) each chunk of the last pass is left
    /// transposed, which saves the transposes back and forth when a transposed pass of the same chunk size reads it next.
    /// </summary>
    public void InverseModulusToBitReversed(Span<T> re, Span<T> im, T scale, Span<T> firstHalf, Span<T> secondHalf, bool chunksTransposed = false)
    {
        var n = Length;
        var half = Math.Max(n / 2, 1);
        if (firstHalf.Length < half || (n > 1 && secondHalf.Length < half)) throw new ArgumentException("modulus spans shorter than half the transform length.");
        if (chunksTransposed && !FusesModulus) throw new ArgumentException("this plan does not fuse the modulus.", nameof(chunksTransposed));
        if (FusesModulus)
        {
            DecimateInFrequency(im, re, new ModulusTarget(scale, firstHalf, secondHalf, chunksTransposed));
            return;
        }
        DecimateInFrequency(im, re, default);
        SpectrumMath.ScaledModulus<T>(re[..half], im[..half], scale, firstHalf[..half]);
        if (n > 1) SpectrumMath.ScaledModulus<T>(re.Slice(half, half), im.Slice(half, half), scale, secondHalf[..half]);
    }

    /// <summary>Whether the last pass is the transposed pass on 4·lanes-sample chunks that do not straddle the halves.</summary>
    public bool FusesModulus => _transposedStages > 0 && Length >= 2 * ChunkLength;

    /// <summary>Samples per chunk of the transposed pass (0 without one): a chunk-transposed layout is only read by a plan of the same chunk length.</summary>
    public int ChunkLength { get; }

    /// <summary>Whether the first decimation-in-time pass is the transposed pass (on chunks of 4·lanes samples).</summary>
    public bool HasTransposedPass => _transposedStages > 0;

    /// <summary>Where and how the fused last pass writes the modulus.</summary>
    private readonly ref struct ModulusTarget(T scale, Span<T> firstHalf, Span<T> secondHalf, bool chunksTransposed)
    {
        public T Scale { get; } = scale;
        public Span<T> FirstHalf { get; } = firstHalf;
        public Span<T> SecondHalf { get; } = secondHalf;
        public bool ChunksTransposed { get; } = chunksTransposed;
        public bool IsActive => !FirstHalf.IsEmpty;
    }

    /// <summary>Largest block whose split real/imaginary data stays in the L1 cache between passes (32 KB of doubles; 2048 measured 2-3% faster than 1024 and 4096 on a 48 KB L1).</summary>
    private const int CacheBlock = 2048;

    private void DecimateInTime(Span<T> re, Span<T> im, bool chunksTransposed)
    {
        var n = Length;
        if (re.Length < n || im.Length < n) throw new ArgumentException("spans shorter than the transform length.");
        ref var r0 = ref MemoryMarshal.GetReference(re);
        ref var i0 = ref MemoryMarshal.GetReference(im);
        var first = 1 << (_transposedStages + (_fusesRadixFour ? 2 : 0));
        var block = Math.Min(n, CacheBlock);
        var passes = _passStages;
        // Depth first: every pass that stays inside a block runs block by block, while the block is in cache.
        int p = 0, h = first;
        for (var from = 0; from < n; from += block)
        {
            if (_wide) TransposedPassWide(ref r0, ref i0, from, from + block, decimateInTime: true, chunksTransposed, default);
            else if (_transposedStages > 0) TransposedPass(ref r0, ref i0, from, from + block, decimateInTime: true, chunksTransposed, default);
            for (p = 0, h = first; p < passes.Length && h << passes[p] <= block; h <<= passes[p++]) DitPass(ref r0, ref i0, from, from + block, h, passes[p]);
        }
        for (; p < passes.Length; h <<= passes[p++]) DitPass(ref r0, ref i0, 0, n, h, passes[p]);
    }

    /// <summary>One decimation-in-time pass of <paramref name="stages"/> radix-2 stages from half-size h on [from, to).</summary>
    private void DitPass(ref T r0, ref T i0, int from, int to, int h, int stages)
    {
        var wide = Vector512.IsHardwareAccelerated && h % Lanes512 == 0;
        if (stages == 3 && wide) DitPassEight512(ref r0, ref i0, from, to, h);
        else if (stages == 2 && wide) DitPass512(ref r0, ref i0, from, to, h);
        else if (stages == 3) DitPassEight(ref r0, ref i0, from, to, h);
        else if (stages == 2) DitPass(ref r0, ref i0, from, to, h);
        else RadixTwoStage(ref r0, ref i0, h, decimateInTime: true);
    }

    /// <summary>One decimation-in-frequency pass of <paramref name="stages"/> radix-2 stages down to half-size h on [from, to).</summary>
    private void DifPass(ref T r0, ref T i0, int from, int to, int h, int stages)
    {
        var wide = Vector512.IsHardwareAccelerated && h % Lanes512 == 0;
        if (stages == 3 && wide) DifPassEight512(ref r0, ref i0, from, to, h);
        else if (stages == 2 && wide) DifPass512(ref r0, ref i0, from, to, h);
        else if (stages == 3) DifPassEight(ref r0, ref i0, from, to, h);
        else if (stages == 2) DifPass(ref r0, ref i0, from, to, h);
        else RadixTwoStage(ref r0, ref i0, h, decimateInTime: false);
    }

    /// <summary>
    /// Three decimation-in-time radix-2 stages (half-sizes h, 2h, 4h) on [from, to), h a multiple of the lanes: eight
    /// points h apart stay in registers, so the data is loaded and stored once instead of twice (radix-4 + radix-2).
    /// </summary>
    private void DitPassEight(ref T r0, ref T i0, int from, int to, int h)
    {
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        for (var s = from; s < to; s += 8 * h)
        {
            for (var k = 0; k < h; k += Lanes)
            {
                var at = (nuint)(s + k);
                var step = (nuint)h;
                var (w1r, w1i) = LoadTwiddle(ref tr0, ref ti0, h + k);
                var (w2r, w2i) = LoadTwiddle(ref tr0, ref ti0, 2 * h + k);
                var (w3r, w3i) = LoadTwiddle(ref tr0, ref ti0, 4 * h + k);
                var (w4r, w4i) = LoadTwiddle(ref tr0, ref ti0, 5 * h + k);
                var x0r = Vector256.LoadUnsafe(ref r0, at); var x0i = Vector256.LoadUnsafe(ref i0, at);
                var x1r = Vector256.LoadUnsafe(ref r0, at + step); var x1i = Vector256.LoadUnsafe(ref i0, at + step);
                var x2r = Vector256.LoadUnsafe(ref r0, at + 2 * step); var x2i = Vector256.LoadUnsafe(ref i0, at + 2 * step);
                var x3r = Vector256.LoadUnsafe(ref r0, at + 3 * step); var x3i = Vector256.LoadUnsafe(ref i0, at + 3 * step);
                var x4r = Vector256.LoadUnsafe(ref r0, at + 4 * step); var x4i = Vector256.LoadUnsafe(ref i0, at + 4 * step);
                var x5r = Vector256.LoadUnsafe(ref r0, at + 5 * step); var x5i = Vector256.LoadUnsafe(ref i0, at + 5 * step);
                var x6r = Vector256.LoadUnsafe(ref r0, at + 6 * step); var x6i = Vector256.LoadUnsafe(ref i0, at + 6 * step);
                var x7r = Vector256.LoadUnsafe(ref r0, at + 7 * step); var x7i = Vector256.LoadUnsafe(ref i0, at + 7 * step);
                // Twiddles of the second half of a stage are −i times those of its first half: e^{-πi(k+H/2)/H} = −i·e^{-πik/H}.
                InTime(ref x0r, ref x0i, ref x1r, ref x1i, w1r, w1i);
                InTime(ref x2r, ref x2i, ref x3r, ref x3i, w1r, w1i);
                InTime(ref x4r, ref x4i, ref x5r, ref x5i, w1r, w1i);
                InTime(ref x6r, ref x6i, ref x7r, ref x7i, w1r, w1i);
                InTime(ref x0r, ref x0i, ref x2r, ref x2i, w2r, w2i);
                InTimeMinusI(ref x1r, ref x1i, ref x3r, ref x3i, w2r, w2i);
                InTime(ref x4r, ref x4i, ref x6r, ref x6i, w2r, w2i);
                InTimeMinusI(ref x5r, ref x5i, ref x7r, ref x7i, w2r, w2i);
                InTime(ref x0r, ref x0i, ref x4r, ref x4i, w3r, w3i);
                InTime(ref x1r, ref x1i, ref x5r, ref x5i, w4r, w4i);
                InTimeMinusI(ref x2r, ref x2i, ref x6r, ref x6i, w3r, w3i);
                InTimeMinusI(ref x3r, ref x3i, ref x7r, ref x7i, w4r, w4i);
                x0r.StoreUnsafe(ref r0, at); x0i.StoreUnsafe(ref i0, at);
                x1r.StoreUnsafe(ref r0, at + step); x1i.StoreUnsafe(ref i0, at + step);
                x2r.StoreUnsafe(ref r0, at + 2 * step); x2i.StoreUnsafe(ref i0, at + 2 * step);
                x3r.StoreUnsafe(ref r0, at + 3 * step); x3i.StoreUnsafe(ref i0, at + 3 * step);
                x4r.StoreUnsafe(ref r0, at + 4 * step); x4i.StoreUnsafe(ref i0, at + 4 * step);
                x5r.StoreUnsafe(ref r0, at + 5 * step); x5i.StoreUnsafe(ref i0, at + 5 * step);
                x6r.StoreUnsafe(ref r0, at + 6 * step); x6i.StoreUnsafe(ref i0, at + 6 * step);
                x7r.StoreUnsafe(ref r0, at + 7 * step); x7i.StoreUnsafe(ref i0, at + 7 * step);
            }
        }
    }

    /// <summary>Three decimation-in-frequency radix-2 stages (half-sizes 4h, 2h, h) on [from, to): the mirror of <see cref="DitPassEight"/>.</summary>
    private void DifPassEight(ref T r0, ref T i0, int from, int to, int h)
    {
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        for (var s = from; s < to; s += 8 * h)
        {
            for (var k = 0; k < h; k += Lanes)
            {
                var at = (nuint)(s + k);
                var step = (nuint)h;
                var (w1r, w1i) = LoadTwiddle(ref tr0, ref ti0, h + k);
                var (w2r, w2i) = LoadTwiddle(ref tr0, ref ti0, 2 * h + k);
                var (w3r, w3i) = LoadTwiddle(ref tr0, ref ti0, 4 * h + k);
                var (w4r, w4i) = LoadTwiddle(ref tr0, ref ti0, 5 * h + k);
                var x0r = Vector256.LoadUnsafe(ref r0, at); var x0i = Vector256.LoadUnsafe(ref i0, at);
                var x1r = Vector256.LoadUnsafe(ref r0, at + step); var x1i = Vector256.LoadUnsafe(ref i0, at + step);
                var x2r = Vector256.LoadUnsafe(ref r0, at + 2 * step); var x2i = Vector256.LoadUnsafe(ref i0, at + 2 * step);
                var x3r = Vector256.LoadUnsafe(ref r0, at + 3 * step); var x3i = Vector256.LoadUnsafe(ref i0, at + 3 * step);
                var x4r = Vector256.LoadUnsafe(ref r0, at + 4 * step); var x4i = Vector256.LoadUnsafe(ref i0, at + 4 * step);
                var x5r = Vector256.LoadUnsafe(ref r0, at + 5 * step); var x5i = Vector256.LoadUnsafe(ref i0, at + 5 * step);
                var x6r = Vector256.LoadUnsafe(ref r0, at + 6 * step); var x6i = Vector256.LoadUnsafe(ref i0, at + 6 * step);
                var x7r = Vector256.LoadUnsafe(ref r0, at + 7 * step); var x7i = Vector256.LoadUnsafe(ref i0, at + 7 * step);
                InFrequency(ref x0r, ref x0i, ref x4r, ref x4i, w3r, w3i);
                InFrequency(ref x1r, ref x1i, ref x5r, ref x5i, w4r, w4i);
                InFrequencyMinusI(ref x2r, ref x2i, ref x6r, ref x6i, w3r, w3i);
                InFrequencyMinusI(ref x3r, ref x3i, ref x7r, ref x7i, w4r, w4i);
                InFrequency(ref x0r, ref x0i, ref x2r, ref x2i, w2r, w2i);
                InFrequencyMinusI(ref x1r, ref x1i, ref x3r, ref x3i, w2r, w2i);
                InFrequency(ref x4r, ref x4i, ref x6r, ref x6i, w2r, w2i);
                InFrequencyMinusI(ref x5r, ref x5i, ref x7r, ref x7i, w2r, w2i);
                InFrequency(ref x0r, ref x0i, ref x1r, ref x1i, w1r, w1i);
                InFrequency(ref x2r, ref x2i, ref x3r, ref x3i, w1r, w1i);
                InFrequency(ref x4r, ref x4i, ref x5r, ref x5i, w1r, w1i);
                InFrequency(ref x6r, ref x6i, ref x7r, ref x7i, w1r, w1i);
                x0r.StoreUnsafe(ref r0, at); x0i.StoreUnsafe(ref i0, at);
                x1r.StoreUnsafe(ref r0, at + step); x1i.StoreUnsafe(ref i0, at + step);
                x2r.StoreUnsafe(ref r0, at + 2 * step); x2i.StoreUnsafe(ref i0, at + 2 * step);
                x3r.StoreUnsafe(ref r0, at + 3 * step); x3i.StoreUnsafe(ref i0, at + 3 * step);
                x4r.StoreUnsafe(ref r0, at + 4 * step); x4i.StoreUnsafe(ref i0, at + 4 * step);
                x5r.StoreUnsafe(ref r0, at + 5 * step); x5i.StoreUnsafe(ref i0, at + 5 * step);
                x6r.StoreUnsafe(ref r0, at + 6 * step); x6i.StoreUnsafe(ref i0, at + 6 * step);
                x7r.StoreUnsafe(ref r0, at + 7 * step); x7i.StoreUnsafe(ref i0, at + 7 * step);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<T> Re, Vector256<T> Im) LoadTwiddle(ref T re, ref T im, int at) =>
        (Vector256.LoadUnsafe(ref re, (nuint)at), Vector256.LoadUnsafe(ref im, (nuint)at));

    /// <summary>Decimation-in-time butterfly: (a, b) ← (a + w·b, a − w·b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InTime(ref Vector256<T> ar, ref Vector256<T> ai, ref Vector256<T> br, ref Vector256<T> bi, Vector256<T> wr, Vector256<T> wi)
    {
        var (tr, ti) = Multiply(br, bi, wr, wi);
        (ar, ai, br, bi) = (ar + tr, ai + ti, ar - tr, ai - ti);
    }

    /// <summary>Decimation-in-time butterfly with twiddle −i·w: (−i)·t = (ti, −tr).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InTimeMinusI(ref Vector256<T> ar, ref Vector256<T> ai, ref Vector256<T> br, ref Vector256<T> bi, Vector256<T> wr, Vector256<T> wi)
    {
        var (tr, ti) = Multiply(br, bi, wr, wi);
        (ar, ai, br, bi) = (ar + ti, ai - tr, ar - ti, ai + tr);
    }

    /// <summary>Decimation-in-frequency butterfly: (a, b) ← (a + b, (a − b)·w).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InFrequency(ref Vector256<T> ar, ref Vector256<T> ai, ref Vector256<T> br, ref Vector256<T> bi, Vector256<T> wr, Vector256<T> wi)
    {
        var (dr, di) = (ar - br, ai - bi);
        (ar, ai) = (ar + br, ai + bi);
        (br, bi) = Multiply(dr, di, wr, wi);
    }

    /// <summary>Decimation-in-frequency butterfly with twiddle −i·w: (−i)·z = (zi, −zr).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InFrequencyMinusI(ref Vector256<T> ar, ref Vector256<T> ai, ref Vector256<T> br, ref Vector256<T> bi, Vector256<T> wr, Vector256<T> wi)
    {
        var (dr, di) = (ar - br, ai - bi);
        (ar, ai) = (ar + br, ai + bi);
        var (zr, zi) = Multiply(dr, di, wr, wi);
        (br, bi) = (zi, -zr);
    }

    /// <summary>One radix-2 stage of half-size h = n/2 (pairs k, k + h; twiddle e^{-πik/h}).</summary>
    private void RadixTwoStage(ref T r0, ref T i0, int h, bool decimateInTime)
    {
        ref var wr = ref Unsafe.Add(ref _twiddleRe.Reference, h);
        ref var wi = ref Unsafe.Add(ref _twiddleIm.Reference, h);
        ref var br0 = ref Unsafe.Add(ref r0, h);
        ref var bi0 = ref Unsafe.Add(ref i0, h);
        var k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + Lanes <= h; k += Lanes)
            {
                var at = (nuint)k;
                var vwr = Vector256.LoadUnsafe(ref wr, at); var vwi = Vector256.LoadUnsafe(ref wi, at);
                var ar = Vector256.LoadUnsafe(ref r0, at); var ai = Vector256.LoadUnsafe(ref i0, at);
                var br = Vector256.LoadUnsafe(ref br0, at); var bi = Vector256.LoadUnsafe(ref bi0, at);
                if (decimateInTime)
                {
                    var (tr, ti) = Multiply(br, bi, vwr, vwi);
                    (ar + tr).StoreUnsafe(ref r0, at); (ai + ti).StoreUnsafe(ref i0, at);
                    (ar - tr).StoreUnsafe(ref br0, at); (ai - ti).StoreUnsafe(ref bi0, at);
                }
                else
                {
                    var dr = ar - br; var di = ai - bi;
                    (ar + br).StoreUnsafe(ref r0, at); (ai + bi).StoreUnsafe(ref i0, at);
                    var (tr, ti) = Multiply(dr, di, vwr, vwi); tr.StoreUnsafe(ref br0, at); ti.StoreUnsafe(ref bi0, at);
                }
            }
        }
        for (; k < h; k++)
        {
            T ar = Unsafe.Add(ref r0, k), ai = Unsafe.Add(ref i0, k);
            T br = Unsafe.Add(ref br0, k), bi = Unsafe.Add(ref bi0, k);
            T wre = Unsafe.Add(ref wr, k), wim = Unsafe.Add(ref wi, k);
            if (decimateInTime)
            {
                T tr = br * wre - bi * wim, ti = br * wim + bi * wre;
                Unsafe.Add(ref r0, k) = ar + tr; Unsafe.Add(ref i0, k) = ai + ti;
                Unsafe.Add(ref br0, k) = ar - tr; Unsafe.Add(ref bi0, k) = ai - ti;
            }
            else
            {
                T dr = ar - br, di = ai - bi;
                Unsafe.Add(ref r0, k) = ar + br; Unsafe.Add(ref i0, k) = ai + bi;
                Unsafe.Add(ref br0, k) = dr * wre - di * wim; Unsafe.Add(ref bi0, k) = dr * wim + di * wre;
            }
        }
    }

    /// <summary>
    /// The first log2(lanes) stages on [from, to), four vectors (4·lanes samples) at a time: a 4×4 transpose (within
    /// each 128-bit half for floats) puts sample j of neighbouring 4-point DFTs in one vector, so the 4-point DFTs run
    /// lane-wise; with 8 lanes the third stage pairs a vector's lower half with its upper half. When fused, the radix-4
    /// pass of half-size lanes runs too, lane-wise on the untransposed vectors (vector j holds points k + j·lanes).
    /// Decimation in time runs the 4-point DFTs first, decimation in frequency last (then writing the modulus when one
    /// is targeted). With <paramref name="chunksTransposed"/> decimation in time loads, and the modulus is stored, without transposing.
    /// </summary>
    private void TransposedPass(ref T r0, ref T i0, int from, int to, bool decimateInTime, bool chunksTransposed, ModulusTarget modulus)
    {
        var eight = Lanes == 8;
        ref var hdr = ref _halfRe.Reference;
        ref var hdi = ref _halfIm.Reference;
        var sign = Vector256.LoadUnsafe(ref _halfSign.Reference);
        var half = Length / 2;
        var scale = Vector256.Create(modulus.Scale);
        ref var firstHalf = ref MemoryMarshal.GetReference(modulus.FirstHalf);
        ref var secondHalf = ref MemoryMarshal.GetReference(modulus.SecondHalf);
        var writesModulus = modulus.IsActive;
        var fuse = _fusesRadixFour;
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        var (w1r, w1i) = LoadTwiddle(ref tr0, ref ti0, Lanes);
        var (w2r, w2i) = LoadTwiddle(ref tr0, ref ti0, 2 * Lanes);
        for (var s = from; s < to; s += 4 * Lanes)
        {
            var (ar, br, cr, dr) = Load(ref r0, s);
            var (ai, bi, ci, di) = Load(ref i0, s);
            if (decimateInTime)
            {
                if (!chunksTransposed)
                {
                    (ar, br, cr, dr) = Transpose(ar, br, cr, dr);
                    (ai, bi, ci, di) = Transpose(ai, bi, ci, di);
                }
                // Natural 4-point DFT of (a, b, c, d) = (x0, x1, x2, x3): sums and differences of pairs, then −i on the odd one.
                var (sr, si, er, ei) = (ar + br, ai + bi, ar - br, ai - bi);
                var (tr, ti, fr, fi) = (cr + dr, ci + di, cr - dr, ci - di);
                (ar, ai, br, bi, cr, ci, dr, di) = (sr + tr, si + ti, er + fi, ei - fr, sr - tr, si - ti, er - fi, ei + fr);
                if (eight)
                {
                    (ar, ai) = HalfStageInTime(ar, ai, sign, ref hdr, ref hdi, 0);
                    (br, bi) = HalfStageInTime(br, bi, sign, ref hdr, ref hdi, 1);
                    (cr, ci) = HalfStageInTime(cr, ci, sign, ref hdr, ref hdi, 2);
                    (dr, di) = HalfStageInTime(dr, di, sign, ref hdr, ref hdi, 3);
                }
                if (!fuse)
                {
                    StoreTransposed(ref r0, s, ar, br, cr, dr);
                    StoreTransposed(ref i0, s, ai, bi, ci, di);
                    continue;
                }
                (ar, br, cr, dr) = Transpose(ar, br, cr, dr);
                (ai, bi, ci, di) = Transpose(ai, bi, ci, di);
                InTime(ref ar, ref ai, ref br, ref bi, w1r, w1i);
                InTime(ref cr, ref ci, ref dr, ref di, w1r, w1i);
                InTime(ref ar, ref ai, ref cr, ref ci, w2r, w2i);
                InTimeMinusI(ref br, ref bi, ref dr, ref di, w2r, w2i);
                Store(ref r0, s, ar, br, cr, dr);
                Store(ref i0, s, ai, bi, ci, di);
                continue;
            }

            if (fuse)
            {
                InFrequency(ref ar, ref ai, ref cr, ref ci, w2r, w2i);
                InFrequencyMinusI(ref br, ref bi, ref dr, ref di, w2r, w2i);
                InFrequency(ref ar, ref ai, ref br, ref bi, w1r, w1i);
                InFrequency(ref cr, ref ci, ref dr, ref di, w1r, w1i);
            }
            (ar, br, cr, dr) = Transpose(ar, br, cr, dr);
            (ai, bi, ci, di) = Transpose(ai, bi, ci, di);

            if (eight)
            {
                (ar, ai) = HalfStageInFrequency(ar, ai, sign, ref hdr, ref hdi, 0);
                (br, bi) = HalfStageInFrequency(br, bi, sign, ref hdr, ref hdi, 1);
                (cr, ci) = HalfStageInFrequency(cr, ci, sign, ref hdr, ref hdi, 2);
                (dr, di) = HalfStageInFrequency(dr, di, sign, ref hdr, ref hdi, 3);
            }
            {
                // Same DFT with its output in bit-reversed order (X0, X2, X1, X3).
                var (sr, si, er, ei) = (ar + cr, ai + ci, ar - cr, ai - ci);
                var (tr, ti, fr, fi) = (br + dr, bi + di, br - dr, bi - di);
                (ar, ai, br, bi, cr, ci, dr, di) = (sr + tr, si + ti, sr - tr, si - ti, er + fi, ei - fr, er - fi, ei + fr);
            }
            if (!writesModulus)
            {
                StoreTransposed(ref r0, s, ar, br, cr, dr);
                StoreTransposed(ref i0, s, ai, bi, ci, di);
                continue;
            }
            var (x0, x1, x2, x3) = (ScaledNorm(ar, ai, scale), ScaledNorm(br, bi, scale), ScaledNorm(cr, ci, scale), ScaledNorm(dr, di, scale));
            ref var target = ref s < half ? ref Unsafe.Add(ref firstHalf, s) : ref Unsafe.Add(ref secondHalf, s - half);
            if (chunksTransposed) Store(ref target, 0, x0, x1, x2, x3);
            else StoreTransposed(ref target, 0, x0, x1, x2, x3);
        }
    }

    /// <summary>
    /// <see cref="TransposedPass"/> for doubles on 512-bit vectors (8 lanes, 32-sample chunks): 4×4 transposes within
    /// each 256-bit half, the third stage pairing the halves, and the fused radix-4 pass of half-size 8.
    /// </summary>
    private void TransposedPassWide(ref T r0, ref T i0, int from, int to, bool decimateInTime, bool chunksTransposed, ModulusTarget modulus)
    {
        const int lanes = 8;
        ref var hdr = ref _halfRe.Reference;
        ref var hdi = ref _halfIm.Reference;
        var sign = Vector512.LoadUnsafe(ref _halfSign.Reference);
        var half = Length / 2;
        var scale = Vector512.Create(modulus.Scale);
        ref var firstHalf = ref MemoryMarshal.GetReference(modulus.FirstHalf);
        ref var secondHalf = ref MemoryMarshal.GetReference(modulus.SecondHalf);
        var writesModulus = modulus.IsActive;
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        var (w1r, w1i) = LoadTwiddle512(ref tr0, ref ti0, lanes);
        var (w2r, w2i) = LoadTwiddle512(ref tr0, ref ti0, 2 * lanes);
        for (var s = from; s < to; s += 4 * lanes)
        {
            var (ar, br, cr, dr) = LoadWide(ref r0, s);
            var (ai, bi, ci, di) = LoadWide(ref i0, s);
            if (decimateInTime)
            {
                if (!chunksTransposed)
                {
                    (ar, br, cr, dr) = Transpose(ar, br, cr, dr);
                    (ai, bi, ci, di) = Transpose(ai, bi, ci, di);
                }
                var (sr, si, er, ei) = (ar + br, ai + bi, ar - br, ai - bi);
                var (tr, ti, fr, fi) = (cr + dr, ci + di, cr - dr, ci - di);
                (ar, ai, br, bi, cr, ci, dr, di) = (sr + tr, si + ti, er + fi, ei - fr, sr - tr, si - ti, er - fi, ei + fr);
                (ar, ai) = HalfStageInTime(ar, ai, sign, ref hdr, ref hdi, 0);
                (br, bi) = HalfStageInTime(br, bi, sign, ref hdr, ref hdi, 1);
                (cr, ci) = HalfStageInTime(cr, ci, sign, ref hdr, ref hdi, 2);
                (dr, di) = HalfStageInTime(dr, di, sign, ref hdr, ref hdi, 3);
                (ar, br, cr, dr) = Transpose(ar, br, cr, dr);
                (ai, bi, ci, di) = Transpose(ai, bi, ci, di);
                InTime(ref ar, ref ai, ref br, ref bi, w1r, w1i);
                InTime(ref cr, ref ci, ref dr, ref di, w1r, w1i);
                InTime(ref ar, ref ai, ref cr, ref ci, w2r, w2i);
                InTimeMinusI(ref br, ref bi, ref dr, ref di, w2r, w2i);
                StoreWide(ref r0, s, ar, br, cr, dr);
                StoreWide(ref i0, s, ai, bi, ci, di);
                continue;
            }

            InFrequency(ref ar, ref ai, ref cr, ref ci, w2r, w2i);
            InFrequencyMinusI(ref br, ref bi, ref dr, ref di, w2r, w2i);
            InFrequency(ref ar, ref ai, ref br, ref bi, w1r, w1i);
            InFrequency(ref cr, ref ci, ref dr, ref di, w1r, w1i);
            (ar, br, cr, dr) = Transpose(ar, br, cr, dr);
            (ai, bi, ci, di) = Transpose(ai, bi, ci, di);
            (ar, ai) = HalfStageInFrequency(ar, ai, sign, ref hdr, ref hdi, 0);
            (br, bi) = HalfStageInFrequency(br, bi, sign, ref hdr, ref hdi, 1);
            (cr, ci) = HalfStageInFrequency(cr, ci, sign, ref hdr, ref hdi, 2);
            (dr, di) = HalfStageInFrequency(dr, di, sign, ref hdr, ref hdi, 3);
            {
                var (sr, si, er, ei) = (ar + cr, ai + ci, ar - cr, ai - ci);
                var (tr, ti, fr, fi) = (br + dr, bi + di, br - dr, bi - di);
                (ar, ai, br, bi, cr, ci, dr, di) = (sr + tr, si + ti, sr - tr, si - ti, er + fi, ei - fr, er - fi, ei + fr);
            }
            if (!writesModulus)
            {
                (ar, br, cr, dr) = Transpose(ar, br, cr, dr);
                (ai, bi, ci, di) = Transpose(ai, bi, ci, di);
                StoreWide(ref r0, s, ar, br, cr, dr);
                StoreWide(ref i0, s, ai, bi, ci, di);
                continue;
            }
            var (x0, x1, x2, x3) = (ScaledNorm(ar, ai, scale), ScaledNorm(br, bi, scale), ScaledNorm(cr, ci, scale), ScaledNorm(dr, di, scale));
            ref var target = ref s < half ? ref Unsafe.Add(ref firstHalf, s) : ref Unsafe.Add(ref secondHalf, s - half);
            if (!chunksTransposed) (x0, x1, x2, x3) = Transpose(x0, x1, x2, x3);
            StoreWide(ref target, 0, x0, x1, x2, x3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<T>, Vector512<T>) HalfStageInTime(Vector512<T> re, Vector512<T> im, Vector512<T> sign, ref T wr, ref T wi, int j)
    {
        var (ur, ui) = Multiply(re, im, Vector512.LoadUnsafe(ref wr, (nuint)(j * 8)), Vector512.LoadUnsafe(ref wi, (nuint)(j * 8)));
        return (sign * ur + SwapHalves(ur), sign * ui + SwapHalves(ui));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<T>, Vector512<T>) HalfStageInFrequency(Vector512<T> re, Vector512<T> im, Vector512<T> sign, ref T wr, ref T wi, int j) =>
        Multiply(sign * re + SwapHalves(re), sign * im + SwapHalves(im),
            Vector512.LoadUnsafe(ref wr, (nuint)(j * 8)), Vector512.LoadUnsafe(ref wi, (nuint)(j * 8)));

    /// <summary>The vector with its 256-bit halves swapped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> SwapHalves(Vector512<T> v) => Avx512F.Shuffle4x128(v.AsDouble(), v.AsDouble(), 0x4E).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> ScaledNorm(Vector512<T> re, Vector512<T> im, Vector512<T> scale) =>
        Vector512.Sqrt(re * re + im * im) * scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<T>, Vector512<T>, Vector512<T>, Vector512<T>) LoadWide(ref T origin, int at) =>
        (Vector512.LoadUnsafe(ref origin, (nuint)at), Vector512.LoadUnsafe(ref origin, (nuint)(at + 8)),
            Vector512.LoadUnsafe(ref origin, (nuint)(at + 16)), Vector512.LoadUnsafe(ref origin, (nuint)(at + 24)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreWide(ref T origin, int at, Vector512<T> a, Vector512<T> b, Vector512<T> c, Vector512<T> d)
    {
        a.StoreUnsafe(ref origin, (nuint)at);
        b.StoreUnsafe(ref origin, (nuint)(at + 8));
        c.StoreUnsafe(ref origin, (nuint)(at + 16));
        d.StoreUnsafe(ref origin, (nuint)(at + 24));
    }

    /// <summary>4×4 transposes of doubles within each 256-bit half (its own inverse).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<T>, Vector512<T>, Vector512<T>, Vector512<T>) Transpose(
        Vector512<T> v0, Vector512<T> v1, Vector512<T> v2, Vector512<T> v3)
    {
        var t0 = Avx512F.UnpackLow(v0.AsDouble(), v1.AsDouble());
        var t1 = Avx512F.UnpackHigh(v0.AsDouble(), v1.AsDouble());
        var t2 = Avx512F.UnpackLow(v2.AsDouble(), v3.AsDouble());
        var t3 = Avx512F.UnpackHigh(v2.AsDouble(), v3.AsDouble());
        var low = Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13);
        var high = Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15);
        return (Avx512F.PermuteVar8x64x2(t0, low, t2).As<double, T>(), Avx512F.PermuteVar8x64x2(t1, low, t3).As<double, T>(),
            Avx512F.PermuteVar8x64x2(t0, high, t2).As<double, T>(), Avx512F.PermuteVar8x64x2(t1, high, t3).As<double, T>());
    }

    /// <summary>[lo + w·hi | lo − w·hi] of transposed vector j (decimation in time, h = lanes/2): u = [lo | w·hi], then ±u + (u, halves swapped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<T>, Vector256<T>) HalfStageInTime(Vector256<T> re, Vector256<T> im, Vector256<T> sign, ref T wr, ref T wi, int j)
    {
        var (ur, ui) = Multiply(re, im, Vector256.LoadUnsafe(ref wr, (nuint)(j * Lanes)), Vector256.LoadUnsafe(ref wi, (nuint)(j * Lanes)));
        return (sign * ur + SwapHalves(ur), sign * ui + SwapHalves(ui));
    }

    /// <summary>[lo + hi | (lo − hi)·w] of transposed vector j (decimation in frequency, h = lanes/2): (±v + v with halves swapped)·[1 | w].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<T>, Vector256<T>) HalfStageInFrequency(Vector256<T> re, Vector256<T> im, Vector256<T> sign, ref T wr, ref T wi, int j) =>
        Multiply(sign * re + SwapHalves(re), sign * im + SwapHalves(im),
            Vector256.LoadUnsafe(ref wr, (nuint)(j * Lanes)), Vector256.LoadUnsafe(ref wi, (nuint)(j * Lanes)));

    /// <summary>The vector with its 128-bit halves swapped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> SwapHalves(Vector256<T> v) => Avx.Permute2x128(v.AsSingle(), v.AsSingle(), 0x01).As<float, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> ScaledNorm(Vector256<T> re, Vector256<T> im, Vector256<T> scale) =>
        Vector256.Sqrt(re * re + im * im) * scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<T>, Vector256<T>, Vector256<T>, Vector256<T>) Load(ref T origin, int at) =>
        (Vector256.LoadUnsafe(ref origin, (nuint)at), Vector256.LoadUnsafe(ref origin, (nuint)(at + Lanes)),
            Vector256.LoadUnsafe(ref origin, (nuint)(at + 2 * Lanes)), Vector256.LoadUnsafe(ref origin, (nuint)(at + 3 * Lanes)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref T origin, int at, Vector256<T> a, Vector256<T> b, Vector256<T> c, Vector256<T> d)
    {
        a.StoreUnsafe(ref origin, (nuint)at);
        b.StoreUnsafe(ref origin, (nuint)(at + Lanes));
        c.StoreUnsafe(ref origin, (nuint)(at + 2 * Lanes));
        d.StoreUnsafe(ref origin, (nuint)(at + 3 * Lanes));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTransposed(ref T origin, int at, Vector256<T> a, Vector256<T> b, Vector256<T> c, Vector256<T> d)
    {
        var (v0, v1, v2, v3) = Transpose(a, b, c, d);
        Store(ref origin, at, v0, v1, v2, v3);
    }

    /// <summary>
    /// 4×4 transpose: row j of the result holds element j of each input row (doubles: the whole vectors; floats: each
    /// 128-bit half on its own). It is its own inverse.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<T>, Vector256<T>, Vector256<T>, Vector256<T>) Transpose(
        Vector256<T> v0, Vector256<T> v1, Vector256<T> v2, Vector256<T> v3)
    {
        if (typeof(T) == typeof(double))
        {
            var t0 = Avx.UnpackLow(v0.AsDouble(), v1.AsDouble());
            var t1 = Avx.UnpackHigh(v0.AsDouble(), v1.AsDouble());
            var t2 = Avx.UnpackLow(v2.AsDouble(), v3.AsDouble());
            var t3 = Avx.UnpackHigh(v2.AsDouble(), v3.AsDouble());
            return (Avx.Permute2x128(t0, t2, 0x20).As<double, T>(), Avx.Permute2x128(t1, t3, 0x20).As<double, T>(),
                Avx.Permute2x128(t0, t2, 0x31).As<double, T>(), Avx.Permute2x128(t1, t3, 0x31).As<double, T>());
        }
        var u0 = Avx.UnpackLow(v0.AsSingle(), v1.AsSingle());
        var u1 = Avx.UnpackHigh(v0.AsSingle(), v1.AsSingle());
        var u2 = Avx.UnpackLow(v2.AsSingle(), v3.AsSingle());
        var u3 = Avx.UnpackHigh(v2.AsSingle(), v3.AsSingle());
        return (Avx.Shuffle(u0, u2, 0x44).As<float, T>(), Avx.Shuffle(u0, u2, 0xEE).As<float, T>(),
            Avx.Shuffle(u1, u3, 0x44).As<float, T>(), Avx.Shuffle(u1, u3, 0xEE).As<float, T>());
    }

    /// <summary>Two decimation-in-time radix-2 stages (half-sizes h and 2h) on [from, to).</summary>
    private void DitPass(ref T r0, ref T i0, int from, int to, int h)
    {
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        var width = Vector256.IsHardwareAccelerated ? Lanes : int.MaxValue;
        ref var w1r = ref Unsafe.Add(ref tr0, h);
        ref var w1i = ref Unsafe.Add(ref ti0, h);
        ref var w2r = ref Unsafe.Add(ref tr0, 2 * h);
        ref var w2i = ref Unsafe.Add(ref ti0, 2 * h);
        for (var s = from; s < to; s += 4 * h)
        {
            var k = 0;
            for (; k + width <= h; k += width)
            {
                var ia = (nuint)(s + k);
                var ib = ia + (nuint)h;
                var ic = ib + (nuint)h;
                var id = ic + (nuint)h;
                var vw1r = Vector256.LoadUnsafe(ref w1r, (nuint)k);
                var vw1i = Vector256.LoadUnsafe(ref w1i, (nuint)k);
                var vw2r = Vector256.LoadUnsafe(ref w2r, (nuint)k);
                var vw2i = Vector256.LoadUnsafe(ref w2i, (nuint)k);
                var ar = Vector256.LoadUnsafe(ref r0, ia); var ai = Vector256.LoadUnsafe(ref i0, ia);
                var br = Vector256.LoadUnsafe(ref r0, ib); var bi = Vector256.LoadUnsafe(ref i0, ib);
                var cr = Vector256.LoadUnsafe(ref r0, ic); var ci = Vector256.LoadUnsafe(ref i0, ic);
                var dr = Vector256.LoadUnsafe(ref r0, id); var di = Vector256.LoadUnsafe(ref i0, id);
                var (tr, ti) = Multiply(br, bi, vw1r, vw1i);
                var (ur, ui) = Multiply(dr, di, vw1r, vw1i);
                var a1r = ar + tr; var a1i = ai + ti; var b1r = ar - tr; var b1i = ai - ti;
                var c1r = cr + ur; var c1i = ci + ui; var d1r = cr - ur; var d1i = ci - ui;
                var (vr, vi) = Multiply(c1r, c1i, vw2r, vw2i);
                var (zr, zi) = Multiply(d1r, d1i, vw2r, vw2i);
                (a1r + vr).StoreUnsafe(ref r0, ia); (a1i + vi).StoreUnsafe(ref i0, ia);
                (a1r - vr).StoreUnsafe(ref r0, ic); (a1i - vi).StoreUnsafe(ref i0, ic);
                // (-i)·z = (zi, -zr)
                (b1r + zi).StoreUnsafe(ref r0, ib); (b1i - zr).StoreUnsafe(ref i0, ib);
                (b1r - zi).StoreUnsafe(ref r0, id); (b1i + zr).StoreUnsafe(ref i0, id);
            }
            for (; k < h; k++)
            {
                int ia = s + k, ib = ia + h, ic = ib + h, id = ic + h;
                T w1re = Unsafe.Add(ref w1r, k), w1im = Unsafe.Add(ref w1i, k);
                T w2re = Unsafe.Add(ref w2r, k), w2im = Unsafe.Add(ref w2i, k);
                T ar = Unsafe.Add(ref r0, ia), ai = Unsafe.Add(ref i0, ia);
                T br = Unsafe.Add(ref r0, ib), bi = Unsafe.Add(ref i0, ib);
                T cr = Unsafe.Add(ref r0, ic), ci = Unsafe.Add(ref i0, ic);
                T dr = Unsafe.Add(ref r0, id), di = Unsafe.Add(ref i0, id);
                T tr = br * w1re - bi * w1im, ti = br * w1im + bi * w1re;
                T ur = dr * w1re - di * w1im, ui = dr * w1im + di * w1re;
                T a1r = ar + tr, a1i = ai + ti, b1r = ar - tr, b1i = ai - ti;
                T c1r = cr + ur, c1i = ci + ui, d1r = cr - ur, d1i = ci - ui;
                T vr = c1r * w2re - c1i * w2im, vi = c1r * w2im + c1i * w2re;
                T zr = d1r * w2re - d1i * w2im, zi = d1r * w2im + d1i * w2re;
                Unsafe.Add(ref r0, ia) = a1r + vr; Unsafe.Add(ref i0, ia) = a1i + vi;
                Unsafe.Add(ref r0, ic) = a1r - vr; Unsafe.Add(ref i0, ic) = a1i - vi;
                Unsafe.Add(ref r0, ib) = b1r + zi; Unsafe.Add(ref i0, ib) = b1i - zr;
                Unsafe.Add(ref r0, id) = b1r - zi; Unsafe.Add(ref i0, id) = b1i + zr;
            }
        }
    }

    /// <summary>Forward DFT by decimation in frequency: natural-order input, bit-reversed output.</summary>
    private void DecimateInFrequency(Span<T> re, Span<T> im, ModulusTarget modulus)
    {
        var n = Length;
        if (re.Length < n || im.Length < n) throw new ArgumentException("spans shorter than the transform length.");
        ref var r0 = ref MemoryMarshal.GetReference(re);
        ref var i0 = ref MemoryMarshal.GetReference(im);
        // Mirror of DecimateInTime: the passes in reverse order, the transposed pass last.
        var block = Math.Min(n, CacheBlock);
        var passes = _passStages;
        // Passes spanning more than a block run over the whole array, the rest block by block (depth first).
        var p = passes.Length - 1;
        var h = n;
        for (; p >= 0 && h > block; h >>= passes[p--]) DifPass(ref r0, ref i0, 0, n, h >> passes[p], passes[p]);
        for (var from = 0; from < n; from += block)
        {
            for (int q = p, hb = h; q >= 0; hb >>= passes[q--]) DifPass(ref r0, ref i0, from, from + block, hb >> passes[q], passes[q]);
            if (_wide) TransposedPassWide(ref r0, ref i0, from, from + block, decimateInTime: false, modulus.ChunksTransposed, modulus);
            else if (_transposedStages > 0) TransposedPass(ref r0, ref i0, from, from + block, decimateInTime: false, modulus.ChunksTransposed, modulus);
        }
    }

    /// <summary>Two decimation-in-frequency radix-2 stages (half-sizes 2h, then h) on [from, to).</summary>
    private void DifPass(ref T r0, ref T i0, int from, int to, int h)
    {
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        var width = Vector256.IsHardwareAccelerated ? Lanes : int.MaxValue;
        var h2 = 2 * h;
        ref var w1r = ref Unsafe.Add(ref tr0, h);
        ref var w1i = ref Unsafe.Add(ref ti0, h);
        ref var w2r = ref Unsafe.Add(ref tr0, h2);
        ref var w2i = ref Unsafe.Add(ref ti0, h2);
        for (var s = from; s < to; s += 4 * h)
        {
            var k = 0;
            for (; k + width <= h; k += width)
            {
                var ia = (nuint)(s + k);
                var ib = ia + (nuint)h;
                var ic = ib + (nuint)h;
                var id = ic + (nuint)h;
                var vw1r = Vector256.LoadUnsafe(ref w1r, (nuint)k);
                var vw1i = Vector256.LoadUnsafe(ref w1i, (nuint)k);
                var vw2r = Vector256.LoadUnsafe(ref w2r, (nuint)k);
                var vw2i = Vector256.LoadUnsafe(ref w2i, (nuint)k);
                var ar = Vector256.LoadUnsafe(ref r0, ia); var ai = Vector256.LoadUnsafe(ref i0, ia);
                var br = Vector256.LoadUnsafe(ref r0, ib); var bi = Vector256.LoadUnsafe(ref i0, ib);
                var cr = Vector256.LoadUnsafe(ref r0, ic); var ci = Vector256.LoadUnsafe(ref i0, ic);
                var dr = Vector256.LoadUnsafe(ref r0, id); var di = Vector256.LoadUnsafe(ref i0, id);
                var a1r = ar + cr; var a1i = ai + ci;
                var xr = ar - cr; var xi = ai - ci;
                var (c1r, c1i) = Multiply(xr, xi, vw2r, vw2i);
                var b1r = br + dr; var b1i = bi + di;
                var yr = br - dr; var yi = bi - di;
                // (b - d)·(-i·w2) = (-i)·(y·w2); (-i)·z = (zi, -zr)
                var (zr, zi) = Multiply(yr, yi, vw2r, vw2i);
                var d1r = zi; var d1i = -zr;
                (a1r + b1r).StoreUnsafe(ref r0, ia); (a1i + b1i).StoreUnsafe(ref i0, ia);
                var er = a1r - b1r; var ei = a1i - b1i;
                var (gr, gi) = Multiply(er, ei, vw1r, vw1i); gr.StoreUnsafe(ref r0, ib); gi.StoreUnsafe(ref i0, ib);
                (c1r + d1r).StoreUnsafe(ref r0, ic); (c1i + d1i).StoreUnsafe(ref i0, ic);
                var fr = c1r - d1r; var fi = c1i - d1i;
                var (pr, pi) = Multiply(fr, fi, vw1r, vw1i); pr.StoreUnsafe(ref r0, id); pi.StoreUnsafe(ref i0, id);
            }
            for (; k < h; k++)
            {
                int ia = s + k, ib = ia + h, ic = ib + h, id = ic + h;
                T w1re = Unsafe.Add(ref w1r, k), w1im = Unsafe.Add(ref w1i, k);
                T w2re = Unsafe.Add(ref w2r, k), w2im = Unsafe.Add(ref w2i, k);
                T ar = Unsafe.Add(ref r0, ia), ai = Unsafe.Add(ref i0, ia);
                T br = Unsafe.Add(ref r0, ib), bi = Unsafe.Add(ref i0, ib);
                T cr = Unsafe.Add(ref r0, ic), ci = Unsafe.Add(ref i0, ic);
                T dr = Unsafe.Add(ref r0, id), di = Unsafe.Add(ref i0, id);
                T a1r = ar + cr, a1i = ai + ci, xr = ar - cr, xi = ai - ci;
                T c1r = xr * w2re - xi * w2im, c1i = xr * w2im + xi * w2re;
                T b1r = br + dr, b1i = bi + di, yr = br - dr, yi = bi - di;
                T zr = yr * w2re - yi * w2im, zi = yr * w2im + yi * w2re;
                T d1r = zi, d1i = -zr;
                Unsafe.Add(ref r0, ia) = a1r + b1r; Unsafe.Add(ref i0, ia) = a1i + b1i;
                T er = a1r - b1r, ei = a1i - b1i;
                Unsafe.Add(ref r0, ib) = er * w1re - ei * w1im; Unsafe.Add(ref i0, ib) = er * w1im + ei * w1re;
                Unsafe.Add(ref r0, ic) = c1r + d1r; Unsafe.Add(ref i0, ic) = c1i + d1i;
                T fr = c1r - d1r, fi = c1i - d1i;
                Unsafe.Add(ref r0, id) = fr * w1re - fi * w1im; Unsafe.Add(ref i0, id) = fr * w1im + fi * w1re;
            }
        }
    }

    /// <summary>(ar + i·ai)·(br + i·bi), with fused multiply-adds where the CPU has them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<T> Re, Vector256<T> Im) Multiply(Vector256<T> ar, Vector256<T> ai, Vector256<T> br, Vector256<T> bi)
    {
        if (Fma.IsSupported && typeof(T) == typeof(double))
        {
            var re = Fma.MultiplySubtract(ar.AsDouble(), br.AsDouble(), (ai * bi).AsDouble());
            var im = Fma.MultiplyAdd(ar.AsDouble(), bi.AsDouble(), (ai * br).AsDouble());
            return (re.As<double, T>(), im.As<double, T>());
        }
        if (Fma.IsSupported && typeof(T) == typeof(float))
        {
            var re = Fma.MultiplySubtract(ar.AsSingle(), br.AsSingle(), (ai * bi).AsSingle());
            var im = Fma.MultiplyAdd(ar.AsSingle(), bi.AsSingle(), (ai * br).AsSingle());
            return (re.As<float, T>(), im.As<float, T>());
        }
        return (ar * br - ai * bi, ar * bi + ai * br);
    }

    private void DitPassEight512(ref T r0, ref T i0, int from, int to, int h)
    {
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        for (var s = from; s < to; s += 8 * h)
        {
            for (var k = 0; k < h; k += Lanes512)
            {
                var at = (nuint)(s + k);
                var step = (nuint)h;
                var (w1r, w1i) = LoadTwiddle512(ref tr0, ref ti0, h + k);
                var (w2r, w2i) = LoadTwiddle512(ref tr0, ref ti0, 2 * h + k);
                var (w3r, w3i) = LoadTwiddle512(ref tr0, ref ti0, 4 * h + k);
                var (w4r, w4i) = LoadTwiddle512(ref tr0, ref ti0, 5 * h + k);
                var x0r = Vector512.LoadUnsafe(ref r0, at); var x0i = Vector512.LoadUnsafe(ref i0, at);
                var x1r = Vector512.LoadUnsafe(ref r0, at + step); var x1i = Vector512.LoadUnsafe(ref i0, at + step);
                var x2r = Vector512.LoadUnsafe(ref r0, at + 2 * step); var x2i = Vector512.LoadUnsafe(ref i0, at + 2 * step);
                var x3r = Vector512.LoadUnsafe(ref r0, at + 3 * step); var x3i = Vector512.LoadUnsafe(ref i0, at + 3 * step);
                var x4r = Vector512.LoadUnsafe(ref r0, at + 4 * step); var x4i = Vector512.LoadUnsafe(ref i0, at + 4 * step);
                var x5r = Vector512.LoadUnsafe(ref r0, at + 5 * step); var x5i = Vector512.LoadUnsafe(ref i0, at + 5 * step);
                var x6r = Vector512.LoadUnsafe(ref r0, at + 6 * step); var x6i = Vector512.LoadUnsafe(ref i0, at + 6 * step);
                var x7r = Vector512.LoadUnsafe(ref r0, at + 7 * step); var x7i = Vector512.LoadUnsafe(ref i0, at + 7 * step);
                // Twiddles of the second half of a stage are −i times those of its first half: e^{-πi(k+H/2)/H} = −i·e^{-πik/H}.
                InTime(ref x0r, ref x0i, ref x1r, ref x1i, w1r, w1i);
                InTime(ref x2r, ref x2i, ref x3r, ref x3i, w1r, w1i);
                InTime(ref x4r, ref x4i, ref x5r, ref x5i, w1r, w1i);
                InTime(ref x6r, ref x6i, ref x7r, ref x7i, w1r, w1i);
                InTime(ref x0r, ref x0i, ref x2r, ref x2i, w2r, w2i);
                InTimeMinusI(ref x1r, ref x1i, ref x3r, ref x3i, w2r, w2i);
                InTime(ref x4r, ref x4i, ref x6r, ref x6i, w2r, w2i);
                InTimeMinusI(ref x5r, ref x5i, ref x7r, ref x7i, w2r, w2i);
                InTime(ref x0r, ref x0i, ref x4r, ref x4i, w3r, w3i);
                InTime(ref x1r, ref x1i, ref x5r, ref x5i, w4r, w4i);
                InTimeMinusI(ref x2r, ref x2i, ref x6r, ref x6i, w3r, w3i);
                InTimeMinusI(ref x3r, ref x3i, ref x7r, ref x7i, w4r, w4i);
                x0r.StoreUnsafe(ref r0, at); x0i.StoreUnsafe(ref i0, at);
                x1r.StoreUnsafe(ref r0, at + step); x1i.StoreUnsafe(ref i0, at + step);
                x2r.StoreUnsafe(ref r0, at + 2 * step); x2i.StoreUnsafe(ref i0, at + 2 * step);
                x3r.StoreUnsafe(ref r0, at + 3 * step); x3i.StoreUnsafe(ref i0, at + 3 * step);
                x4r.StoreUnsafe(ref r0, at + 4 * step); x4i.StoreUnsafe(ref i0, at + 4 * step);
                x5r.StoreUnsafe(ref r0, at + 5 * step); x5i.StoreUnsafe(ref i0, at + 5 * step);
                x6r.StoreUnsafe(ref r0, at + 6 * step); x6i.StoreUnsafe(ref i0, at + 6 * step);
                x7r.StoreUnsafe(ref r0, at + 7 * step); x7i.StoreUnsafe(ref i0, at + 7 * step);
            }
        }
    }

    private void DifPassEight512(ref T r0, ref T i0, int from, int to, int h)
    {
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        for (var s = from; s < to; s += 8 * h)
        {
            for (var k = 0; k < h; k += Lanes512)
            {
                var at = (nuint)(s + k);
                var step = (nuint)h;
                var (w1r, w1i) = LoadTwiddle512(ref tr0, ref ti0, h + k);
                var (w2r, w2i) = LoadTwiddle512(ref tr0, ref ti0, 2 * h + k);
                var (w3r, w3i) = LoadTwiddle512(ref tr0, ref ti0, 4 * h + k);
                var (w4r, w4i) = LoadTwiddle512(ref tr0, ref ti0, 5 * h + k);
                var x0r = Vector512.LoadUnsafe(ref r0, at); var x0i = Vector512.LoadUnsafe(ref i0, at);
                var x1r = Vector512.LoadUnsafe(ref r0, at + step); var x1i = Vector512.LoadUnsafe(ref i0, at + step);
                var x2r = Vector512.LoadUnsafe(ref r0, at + 2 * step); var x2i = Vector512.LoadUnsafe(ref i0, at + 2 * step);
                var x3r = Vector512.LoadUnsafe(ref r0, at + 3 * step); var x3i = Vector512.LoadUnsafe(ref i0, at + 3 * step);
                var x4r = Vector512.LoadUnsafe(ref r0, at + 4 * step); var x4i = Vector512.LoadUnsafe(ref i0, at + 4 * step);
                var x5r = Vector512.LoadUnsafe(ref r0, at + 5 * step); var x5i = Vector512.LoadUnsafe(ref i0, at + 5 * step);
                var x6r = Vector512.LoadUnsafe(ref r0, at + 6 * step); var x6i = Vector512.LoadUnsafe(ref i0, at + 6 * step);
                var x7r = Vector512.LoadUnsafe(ref r0, at + 7 * step); var x7i = Vector512.LoadUnsafe(ref i0, at + 7 * step);
                InFrequency(ref x0r, ref x0i, ref x4r, ref x4i, w3r, w3i);
                InFrequency(ref x1r, ref x1i, ref x5r, ref x5i, w4r, w4i);
                InFrequencyMinusI(ref x2r, ref x2i, ref x6r, ref x6i, w3r, w3i);
                InFrequencyMinusI(ref x3r, ref x3i, ref x7r, ref x7i, w4r, w4i);
                InFrequency(ref x0r, ref x0i, ref x2r, ref x2i, w2r, w2i);
                InFrequencyMinusI(ref x1r, ref x1i, ref x3r, ref x3i, w2r, w2i);
                InFrequency(ref x4r, ref x4i, ref x6r, ref x6i, w2r, w2i);
                InFrequencyMinusI(ref x5r, ref x5i, ref x7r, ref x7i, w2r, w2i);
                InFrequency(ref x0r, ref x0i, ref x1r, ref x1i, w1r, w1i);
                InFrequency(ref x2r, ref x2i, ref x3r, ref x3i, w1r, w1i);
                InFrequency(ref x4r, ref x4i, ref x5r, ref x5i, w1r, w1i);
                InFrequency(ref x6r, ref x6i, ref x7r, ref x7i, w1r, w1i);
                x0r.StoreUnsafe(ref r0, at); x0i.StoreUnsafe(ref i0, at);
                x1r.StoreUnsafe(ref r0, at + step); x1i.StoreUnsafe(ref i0, at + step);
                x2r.StoreUnsafe(ref r0, at + 2 * step); x2i.StoreUnsafe(ref i0, at + 2 * step);
                x3r.StoreUnsafe(ref r0, at + 3 * step); x3i.StoreUnsafe(ref i0, at + 3 * step);
                x4r.StoreUnsafe(ref r0, at + 4 * step); x4i.StoreUnsafe(ref i0, at + 4 * step);
                x5r.StoreUnsafe(ref r0, at + 5 * step); x5i.StoreUnsafe(ref i0, at + 5 * step);
                x6r.StoreUnsafe(ref r0, at + 6 * step); x6i.StoreUnsafe(ref i0, at + 6 * step);
                x7r.StoreUnsafe(ref r0, at + 7 * step); x7i.StoreUnsafe(ref i0, at + 7 * step);
            }
        }
    }

    private void DitPass512(ref T r0, ref T i0, int from, int to, int h)
    {
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        var width = Vector512.IsHardwareAccelerated ? Lanes512 : int.MaxValue;
        ref var w1r = ref Unsafe.Add(ref tr0, h);
        ref var w1i = ref Unsafe.Add(ref ti0, h);
        ref var w2r = ref Unsafe.Add(ref tr0, 2 * h);
        ref var w2i = ref Unsafe.Add(ref ti0, 2 * h);
        for (var s = from; s < to; s += 4 * h)
        {
            var k = 0;
            for (; k + width <= h; k += width)
            {
                var ia = (nuint)(s + k);
                var ib = ia + (nuint)h;
                var ic = ib + (nuint)h;
                var id = ic + (nuint)h;
                var vw1r = Vector512.LoadUnsafe(ref w1r, (nuint)k);
                var vw1i = Vector512.LoadUnsafe(ref w1i, (nuint)k);
                var vw2r = Vector512.LoadUnsafe(ref w2r, (nuint)k);
                var vw2i = Vector512.LoadUnsafe(ref w2i, (nuint)k);
                var ar = Vector512.LoadUnsafe(ref r0, ia); var ai = Vector512.LoadUnsafe(ref i0, ia);
                var br = Vector512.LoadUnsafe(ref r0, ib); var bi = Vector512.LoadUnsafe(ref i0, ib);
                var cr = Vector512.LoadUnsafe(ref r0, ic); var ci = Vector512.LoadUnsafe(ref i0, ic);
                var dr = Vector512.LoadUnsafe(ref r0, id); var di = Vector512.LoadUnsafe(ref i0, id);
                var (tr, ti) = Multiply(br, bi, vw1r, vw1i);
                var (ur, ui) = Multiply(dr, di, vw1r, vw1i);
                var a1r = ar + tr; var a1i = ai + ti; var b1r = ar - tr; var b1i = ai - ti;
                var c1r = cr + ur; var c1i = ci + ui; var d1r = cr - ur; var d1i = ci - ui;
                var (vr, vi) = Multiply(c1r, c1i, vw2r, vw2i);
                var (zr, zi) = Multiply(d1r, d1i, vw2r, vw2i);
                (a1r + vr).StoreUnsafe(ref r0, ia); (a1i + vi).StoreUnsafe(ref i0, ia);
                (a1r - vr).StoreUnsafe(ref r0, ic); (a1i - vi).StoreUnsafe(ref i0, ic);
                // (-i)·z = (zi, -zr)
                (b1r + zi).StoreUnsafe(ref r0, ib); (b1i - zr).StoreUnsafe(ref i0, ib);
                (b1r - zi).StoreUnsafe(ref r0, id); (b1i + zr).StoreUnsafe(ref i0, id);
            }
            for (; k < h; k++)
            {
                int ia = s + k, ib = ia + h, ic = ib + h, id = ic + h;
                T w1re = Unsafe.Add(ref w1r, k), w1im = Unsafe.Add(ref w1i, k);
                T w2re = Unsafe.Add(ref w2r, k), w2im = Unsafe.Add(ref w2i, k);
                T ar = Unsafe.Add(ref r0, ia), ai = Unsafe.Add(ref i0, ia);
                T br = Unsafe.Add(ref r0, ib), bi = Unsafe.Add(ref i0, ib);
                T cr = Unsafe.Add(ref r0, ic), ci = Unsafe.Add(ref i0, ic);
                T dr = Unsafe.Add(ref r0, id), di = Unsafe.Add(ref i0, id);
                T tr = br * w1re - bi * w1im, ti = br * w1im + bi * w1re;
                T ur = dr * w1re - di * w1im, ui = dr * w1im + di * w1re;
                T a1r = ar + tr, a1i = ai + ti, b1r = ar - tr, b1i = ai - ti;
                T c1r = cr + ur, c1i = ci + ui, d1r = cr - ur, d1i = ci - ui;
                T vr = c1r * w2re - c1i * w2im, vi = c1r * w2im + c1i * w2re;
                T zr = d1r * w2re - d1i * w2im, zi = d1r * w2im + d1i * w2re;
                Unsafe.Add(ref r0, ia) = a1r + vr; Unsafe.Add(ref i0, ia) = a1i + vi;
                Unsafe.Add(ref r0, ic) = a1r - vr; Unsafe.Add(ref i0, ic) = a1i - vi;
                Unsafe.Add(ref r0, ib) = b1r + zi; Unsafe.Add(ref i0, ib) = b1i - zr;
                Unsafe.Add(ref r0, id) = b1r - zi; Unsafe.Add(ref i0, id) = b1i + zr;
            }
        }
    }

    private void DifPass512(ref T r0, ref T i0, int from, int to, int h)
    {
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        var width = Vector512.IsHardwareAccelerated ? Lanes512 : int.MaxValue;
        var h2 = 2 * h;
        ref var w1r = ref Unsafe.Add(ref tr0, h);
        ref var w1i = ref Unsafe.Add(ref ti0, h);
        ref var w2r = ref Unsafe.Add(ref tr0, h2);
        ref var w2i = ref Unsafe.Add(ref ti0, h2);
        for (var s = from; s < to; s += 4 * h)
        {
            var k = 0;
            for (; k + width <= h; k += width)
            {
                var ia = (nuint)(s + k);
                var ib = ia + (nuint)h;
                var ic = ib + (nuint)h;
                var id = ic + (nuint)h;
                var vw1r = Vector512.LoadUnsafe(ref w1r, (nuint)k);
                var vw1i = Vector512.LoadUnsafe(ref w1i, (nuint)k);
                var vw2r = Vector512.LoadUnsafe(ref w2r, (nuint)k);
                var vw2i = Vector512.LoadUnsafe(ref w2i, (nuint)k);
                var ar = Vector512.LoadUnsafe(ref r0, ia); var ai = Vector512.LoadUnsafe(ref i0, ia);
                var br = Vector512.LoadUnsafe(ref r0, ib); var bi = Vector512.LoadUnsafe(ref i0, ib);
                var cr = Vector512.LoadUnsafe(ref r0, ic); var ci = Vector512.LoadUnsafe(ref i0, ic);
                var dr = Vector512.LoadUnsafe(ref r0, id); var di = Vector512.LoadUnsafe(ref i0, id);
                var a1r = ar + cr; var a1i = ai + ci;
                var xr = ar - cr; var xi = ai - ci;
                var (c1r, c1i) = Multiply(xr, xi, vw2r, vw2i);
                var b1r = br + dr; var b1i = bi + di;
                var yr = br - dr; var yi = bi - di;
                // (b - d)·(-i·w2) = (-i)·(y·w2); (-i)·z = (zi, -zr)
                var (zr, zi) = Multiply(yr, yi, vw2r, vw2i);
                var d1r = zi; var d1i = -zr;
                (a1r + b1r).StoreUnsafe(ref r0, ia); (a1i + b1i).StoreUnsafe(ref i0, ia);
                var er = a1r - b1r; var ei = a1i - b1i;
                var (gr, gi) = Multiply(er, ei, vw1r, vw1i); gr.StoreUnsafe(ref r0, ib); gi.StoreUnsafe(ref i0, ib);
                (c1r + d1r).StoreUnsafe(ref r0, ic); (c1i + d1i).StoreUnsafe(ref i0, ic);
                var fr = c1r - d1r; var fi = c1i - d1i;
                var (pr, pi) = Multiply(fr, fi, vw1r, vw1i); pr.StoreUnsafe(ref r0, id); pi.StoreUnsafe(ref i0, id);
            }
            for (; k < h; k++)
            {
                int ia = s + k, ib = ia + h, ic = ib + h, id = ic + h;
                T w1re = Unsafe.Add(ref w1r, k), w1im = Unsafe.Add(ref w1i, k);
                T w2re = Unsafe.Add(ref w2r, k), w2im = Unsafe.Add(ref w2i, k);
                T ar = Unsafe.Add(ref r0, ia), ai = Unsafe.Add(ref i0, ia);
                T br = Unsafe.Add(ref r0, ib), bi = Unsafe.Add(ref i0, ib);
                T cr = Unsafe.Add(ref r0, ic), ci = Unsafe.Add(ref i0, ic);
                T dr = Unsafe.Add(ref r0, id), di = Unsafe.Add(ref i0, id);
                T a1r = ar + cr, a1i = ai + ci, xr = ar - cr, xi = ai - ci;
                T c1r = xr * w2re - xi * w2im, c1i = xr * w2im + xi * w2re;
                T b1r = br + dr, b1i = bi + di, yr = br - dr, yi = bi - di;
                T zr = yr * w2re - yi * w2im, zi = yr * w2im + yi * w2re;
                T d1r = zi, d1i = -zr;
                Unsafe.Add(ref r0, ia) = a1r + b1r; Unsafe.Add(ref i0, ia) = a1i + b1i;
                T er = a1r - b1r, ei = a1i - b1i;
                Unsafe.Add(ref r0, ib) = er * w1re - ei * w1im; Unsafe.Add(ref i0, ib) = er * w1im + ei * w1re;
                Unsafe.Add(ref r0, ic) = c1r + d1r; Unsafe.Add(ref i0, ic) = c1i + d1i;
                T fr = c1r - d1r, fi = c1i - d1i;
                Unsafe.Add(ref r0, id) = fr * w1re - fi * w1im; Unsafe.Add(ref i0, id) = fr * w1im + fi * w1re;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<T> Re, Vector512<T> Im) LoadTwiddle512(ref T re, ref T im, int at) =>
        (Vector512.LoadUnsafe(ref re, (nuint)at), Vector512.LoadUnsafe(ref im, (nuint)at));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InTime(ref Vector512<T> ar, ref Vector512<T> ai, ref Vector512<T> br, ref Vector512<T> bi, Vector512<T> wr, Vector512<T> wi)
    {
        var (tr, ti) = Multiply(br, bi, wr, wi);
        (ar, ai, br, bi) = (ar + tr, ai + ti, ar - tr, ai - ti);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InTimeMinusI(ref Vector512<T> ar, ref Vector512<T> ai, ref Vector512<T> br, ref Vector512<T> bi, Vector512<T> wr, Vector512<T> wi)
    {
        var (tr, ti) = Multiply(br, bi, wr, wi);
        (ar, ai, br, bi) = (ar + ti, ai - tr, ar - ti, ai + tr);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InFrequency(ref Vector512<T> ar, ref Vector512<T> ai, ref Vector512<T> br, ref Vector512<T> bi, Vector512<T> wr, Vector512<T> wi)
    {
        var (dr, di) = (ar - br, ai - bi);
        (ar, ai) = (ar + br, ai + bi);
        (br, bi) = Multiply(dr, di, wr, wi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InFrequencyMinusI(ref Vector512<T> ar, ref Vector512<T> ai, ref Vector512<T> br, ref Vector512<T> bi, Vector512<T> wr, Vector512<T> wi)
    {
        var (dr, di) = (ar - br, ai - bi);
        (ar, ai) = (ar + br, ai + bi);
        var (zr, zi) = Multiply(dr, di, wr, wi);
        (br, bi) = (zi, -zr);
    }

    private static readonly int Lanes512 = Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<T> Re, Vector512<T> Im) Multiply(Vector512<T> ar, Vector512<T> ai, Vector512<T> br, Vector512<T> bi)
    {
        if (typeof(T) == typeof(double))
        {
            var re = Avx512F.FusedMultiplySubtract(ar.AsDouble(), br.AsDouble(), (ai * bi).AsDouble());
            var im = Avx512F.FusedMultiplyAdd(ar.AsDouble(), bi.AsDouble(), (ai * br).AsDouble());
            return (re.As<double, T>(), im.As<double, T>());
        }
        var re2 = Avx512F.FusedMultiplySubtract(ar.AsSingle(), br.AsSingle(), (ai * bi).AsSingle());
        var im2 = Avx512F.FusedMultiplyAdd(ar.AsSingle(), bi.AsSingle(), (ai * br).AsSingle());
        return (re2.As<float, T>(), im2.As<float, T>());
    }


    /// <summary>Position of each index after bit reversal of log2(length) bits.</summary>
    public static int[] BitReversalTable(int length)
    {
        var bits = BitOperations.Log2((uint)length);
        var table = new int[length];
        for (var i = 1; i < length; i++) table[i] = (int)(ReverseBits((uint)i) >> (32 - bits));
        return table;
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
