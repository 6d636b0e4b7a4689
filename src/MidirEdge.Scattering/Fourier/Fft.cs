using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace MidirEdge.Scattering.Fourier;

/// <summary>
/// In-place complex FFT of one power-of-two length on split real/imaginary spans of <typeparamref name="T"/>
/// (double or float): the first log2(lanes) stages (two with two lanes) as one pass over 4×4-transposed vectors, then
/// radix-4 passes (two radix-2 stages per pass over the data, three twiddle multiplies per butterfly), or radix-8 ones where
/// the JIT has 32 vector registers, on the widest vectors the runtime accelerates (<see cref="Vector512{T}"/> with
/// AVX-512, <see cref="Vector256{T}"/>, or <see cref="Vector128{T}"/> as on Arm), and passes that fit a cache block run
/// block by block. Each pass is written once, generic over the register width (<see cref="IVectorWidth{TV, T}"/>).
/// </summary>
/// <remarks>
/// Chosen by measurement over MathNet.Numerics 5.0 <c>Fourier</c> and FftSharp 2.2 (length 4096, CPU time
/// per transform on the build machine, best of 5): this plan ≈ 14 µs on 256-bit vectors (≈ 4 µs now on 512-bit vectors, from bit-reversed input),
/// MathNet ≈ 260 µs, FftSharp ≈ 570 µs.
/// Both libraries work on <c>Complex[]</c> (interleaved, copied or allocated per call) and recompute
/// twiddles per call; a scattering transform runs ~100 FFTs per spectrum, so that dominates. A plan here
/// owns its bit-reversal table and per-stage twiddles, works on caller-owned spans (allocation-free) and
/// is immutable, so one instance per length is shared by all threads. Float plans do the same work on twice
/// as many lanes per vector.
/// </remarks>
internal sealed class Fft<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly ConcurrentDictionary<int, Fft<T>> Plans = new();

    private readonly int[] _swapPairs;
    private readonly AlignedBuffer<T> _twiddleRe;
    private readonly AlignedBuffer<T> _twiddleIm;

    /// <summary>For a radix-4 pass of half-size h: e^{-2πi·3k/(4h)}, k &lt; h, at offset h (the product of its two stages' twiddles).</summary>
    private readonly AlignedBuffer<T> _twiddleThreeRe, _twiddleThreeIm;

    /// <summary>log2 of the lanes when the transposed pass runs (it then does this many stages, plus the fused radix-4 pass for doubles), else 0.</summary>
    private readonly int _transposedStages;

    /// <summary>Whether the transposed pass also does the radix-4 pass of half-size lanes (see <see cref="FusesRadixFour"/>).</summary>
    private readonly bool _fusesRadixFour;

    /// <summary>Register width in bits of the transposed pass: 512 (doubles with AVX-512), 256 (AVX2) or 128 (SSE, Arm NEON); 0 without one.</summary>
    private readonly int _transposedWidth;

    /// <summary>Radix-2 stages (1, 2 or 3) done by each pass after the transposed one, in decimation-in-time order.</summary>
    private readonly int[] _passStages;

    /// <summary>
    /// With 8 lanes (256-bit floats, 512-bit doubles): the transposed pass's third stage (h = 4) pairs the lower and the
    /// upper half of transposed vector j with twiddle w_j = e^{-2πij/8}: it multiplies by [1 | w_j] (four vectors,
    /// j = 0..3) and adds the vector with its halves swapped to the vector times [+1 | −1].
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
        _twiddleThreeRe = new AlignedBuffer<T>(Math.Max(length, 2));
        _twiddleThreeIm = new AlignedBuffer<T>(Math.Max(length, 2));
        for (var h = 1; h < length; h <<= 1)
        {
            for (var k = 0; k < h; k++)
            {
                var angle = -1.5 * Math.PI * k / h;
                _twiddleThreeRe.Span[h + k] = T.CreateChecked(Math.Cos(angle));
                _twiddleThreeIm.Span[h + k] = T.CreateChecked(Math.Sin(angle));
            }
        }

        // The transposed pass takes 4 vectors (4·lanes samples) at a time, on the widest vectors the runtime accelerates
        // (so that preferring 128-bit vectors runs what Arm runs): doubles take 512-bit vectors where the CPU has
        // AVX-512, 256-bit ones need AVX2's shuffles, 128-bit ones SSE's or NEON's.
        _transposedWidth = typeof(T) == typeof(double) && Avx512F.IsSupported && Vector512.IsHardwareAccelerated && length >= 4 * Width512<T>.Lanes ? 512
            : Avx2.IsSupported && Vector256.IsHardwareAccelerated && length >= 4 * Width256<T>.Lanes ? 256
            : (Sse2.IsSupported || AdvSimd.Arm64.IsSupported) && Vector128.IsHardwareAccelerated && length >= 4 * Width128<T>.Lanes ? 128
            : 0;
        var lanes = _transposedWidth switch { 512 => Width512<T>.Lanes, 256 => Width256<T>.Lanes, _ => Width128<T>.Lanes };
        // With two lanes (128-bit doubles) the 4-point DFTs of four-sample groups still do two stages.
        var transposed = _transposedWidth > 0 ? BitOperations.Log2((uint)Math.Max(lanes, 4)) : 0;
        _transposedStages = transposed;
        ChunkLength = transposed > 0 ? 4 * lanes : 0;
        // The fused radix-4 pass of half-size lanes takes four vectors of four lanes, or eight 512-bit doubles.
        _fusesRadixFour = transposed > 0 && FusesRadixFour(lanes, _transposedWidth);
        var fused = transposed + (_fusesRadixFour ? 2 : 0);
        // A radix-8 pass holds 16 data registers and its twiddles: it pays with 32 vector registers (AVX-512's EVEX encoding,
        // at any vector width, or Arm64's NEON); with 16 (AVX2, SSE) the JIT spills in its loop and radix-4 passes measured
        // faster (AVX2 double spectrum 366 -> 323 us, float 213 -> 177 us).
        _passStages = PassStages(bits - fused, 1 << fused, Math.Min(length, CacheBlock),
            radixEight: transposed > 0 && (Avx512F.VL.IsSupported || AdvSimd.Arm64.IsSupported));
        LeadingInputBins = _passStages.Length > 0 && _passStages[^1] <= 2 ? length >> _passStages[^1] : 0;

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
    /// Whether a transposed pass on <paramref name="lanes"/> lanes of <paramref name="width"/> bits also does the radix-4
    /// pass of half-size lanes (on its four vectors, untransposed). Measured: pays for doubles (4 lanes, or 8 on 512-bit
    /// vectors), not for 256-bit floats. The transposed passes call it with their register's lanes and width, so the JIT
    /// folds it to a constant: tested as a field inside their loops, it kept a branch there and the JIT copied or
    /// spilled the registers both ways of it needed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FusesRadixFour(int lanes, int width) => lanes == 4 || width == 512;

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
    public void InverseUnscaledToBitReversed(Span<T> re, Span<T> im) => DecimateInFrequency(im, re, default, leadingBinsOnly: false);

    /// <summary>
    /// How many leading bins an input of <see cref="InverseModulusToBitReversed"/> may occupy with leadingBinsOnly
    /// (0 if none): the first decimation-in-frequency pass (radix-2 or radix-4, half-size L/2 or L/4) then spreads each
    /// bin to its 2 or 4 outputs instead of combining them, and the bins from this one on are neither read nor cleared.
    /// </summary>
    public int LeadingInputBins { get; }

    /// <summary>
    /// scale · |unnormalised inverse DFT| of natural-order input, in bit-reversed order: its first half into
    /// <paramref name="firstHalf"/>, its second half into <paramref name="secondHalf"/> (length 1: firstHalf[0]).
    /// The modulus is taken inside the last pass, while the values are in registers. Overwrites re and im.
    /// With <paramref name="chunksTransposed"/> (needs <see cref="FusesModulus"/>) each chunk of the last pass is left
    /// transposed, which saves the transposes back and forth when a transposed pass of the same chunk size reads it next.
    /// With <paramref name="leadingBinsOnly"/> the input is zero from bin <see cref="LeadingInputBins"/> on and those bins
    /// are not read (they may hold anything).
    /// </summary>
    public void InverseModulusToBitReversed(Span<T> re, Span<T> im, T scale, Span<T> firstHalf, Span<T> secondHalf, bool chunksTransposed = false,
        bool leadingBinsOnly = false)
    {
        var n = Length;
        var half = Math.Max(n / 2, 1);
        if (firstHalf.Length < half || (n > 1 && secondHalf.Length < half)) throw new ArgumentException("modulus spans shorter than half the transform length.");
        if (chunksTransposed && !FusesModulus) throw new ArgumentException("this plan does not fuse the modulus.", nameof(chunksTransposed));
        if (leadingBinsOnly && LeadingInputBins == 0) throw new ArgumentException("this plan takes no leading-bins input.", nameof(leadingBinsOnly));
        if (FusesModulus)
        {
            DecimateInFrequency(im, re, new ModulusTarget(scale, firstHalf, secondHalf, chunksTransposed), leadingBinsOnly);
            return;
        }
        DecimateInFrequency(im, re, default, leadingBinsOnly);
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
            if (_transposedWidth == 512) TransposedPassInTime<Width512<T>, Vector512<T>>(ref r0, ref i0, from, from + block, chunksTransposed);
            else if (_transposedWidth == 256) TransposedPassInTime<Width256<T>, Vector256<T>>(ref r0, ref i0, from, from + block, chunksTransposed);
            else if (_transposedWidth == 128) TransposedPassInTime<Width128<T>, Vector128<T>>(ref r0, ref i0, from, from + block, chunksTransposed);
            for (p = 0, h = first; p < passes.Length && h << passes[p] <= block; h <<= passes[p++]) Pass(ref r0, ref i0, from, from + block, h, passes[p], decimateInTime: true);
        }
        for (; p < passes.Length; h <<= passes[p++]) Pass(ref r0, ref i0, 0, n, h, passes[p], decimateInTime: true);
    }

    /// <summary>Forward DFT by decimation in frequency: natural-order input, bit-reversed output.</summary>
    private void DecimateInFrequency(Span<T> re, Span<T> im, ModulusTarget modulus, bool leadingBinsOnly)
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
        if (leadingBinsOnly)
        {
            Spread(ref r0, ref i0, h >> passes[p], passes[p]);
            h >>= passes[p--];
        }
        for (; p >= 0 && h > block; h >>= passes[p--]) Pass(ref r0, ref i0, 0, n, h >> passes[p], passes[p], decimateInTime: false);
        for (var from = 0; from < n; from += block)
        {
            for (int q = p, hb = h; q >= 0; hb >>= passes[q--]) Pass(ref r0, ref i0, from, from + block, hb >> passes[q], passes[q], decimateInTime: false);
            if (_transposedWidth == 512) TransposedPassInFrequency<Width512<T>, Vector512<T>>(ref r0, ref i0, from, from + block, modulus);
            else if (_transposedWidth == 256) TransposedPassInFrequency<Width256<T>, Vector256<T>>(ref r0, ref i0, from, from + block, modulus);
            else if (_transposedWidth == 128) TransposedPassInFrequency<Width128<T>, Vector128<T>>(ref r0, ref i0, from, from + block, modulus);
        }
    }

    /// <summary>
    /// One pass of <paramref name="stages"/> radix-2 stages on [from, to), the smallest of half-size h: decimation in time
    /// runs them from h up, decimation in frequency down to h. It takes the widest vectors whose lanes divide h (512-bit
    /// where the CPU has AVX-512, 128-bit where it has no 256-bit vectors), else single samples.
    /// </summary>
    private void Pass(ref T r0, ref T i0, int from, int to, int h, int stages, bool decimateInTime)
    {
        if (Vector512.IsHardwareAccelerated && h % Width512<T>.Lanes == 0) Pass<Width512<T>, Vector512<T>>(ref r0, ref i0, from, to, h, stages, decimateInTime);
        else if (Vector256.IsHardwareAccelerated && h % Width256<T>.Lanes == 0) Pass<Width256<T>, Vector256<T>>(ref r0, ref i0, from, to, h, stages, decimateInTime);
        else if (Vector128.IsHardwareAccelerated && h % Width128<T>.Lanes == 0) Pass<Width128<T>, Vector128<T>>(ref r0, ref i0, from, to, h, stages, decimateInTime);
        else Pass<Scalar<T>, T>(ref r0, ref i0, from, to, h, stages, decimateInTime);
    }

    /// <summary>
    /// The first decimation-in-frequency pass (radix-2 or radix-4 of half-size h, h = L/2 or L/4) for input zero outside
    /// [0, h): with b = c = d = 0 the butterflies leave a at k and put a·w1 at k + h (radix-4: a·w2 at k + 2h, a·w2·w1 at
    /// k + 3h), w1 and w2 being the twiddles of half-sizes h and 2h.
    /// </summary>
    private void Spread(ref T r0, ref T i0, int h, int stages)
    {
        if (Vector512.IsHardwareAccelerated && h % Width512<T>.Lanes == 0) Spread<Width512<T>, Vector512<T>>(ref r0, ref i0, h, stages);
        else if (Vector256.IsHardwareAccelerated && h % Width256<T>.Lanes == 0) Spread<Width256<T>, Vector256<T>>(ref r0, ref i0, h, stages);
        else if (Vector128.IsHardwareAccelerated && h % Width128<T>.Lanes == 0) Spread<Width128<T>, Vector128<T>>(ref r0, ref i0, h, stages);
        else Spread<Scalar<T>, T>(ref r0, ref i0, h, stages);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Spread<TW, TV>(ref T r0, ref T i0, int h, int stages)
        where TW : struct, IVectorWidth<TV, T> where TV : struct
    {
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        var step = (nuint)h;
        for (var k = 0; k < h; k += TW.Lanes)
        {
            var at = (nuint)k;
            TV ar = TW.Load(ref r0, at), ai = TW.Load(ref i0, at);
            var (w1r, w1i) = LoadTwiddle<TW, TV>(ref tr0, ref ti0, h + k);
            var (br, bi) = TW.MultiplyComplex(ar, ai, w1r, w1i);
            TW.Store(br, ref r0, at + step); TW.Store(bi, ref i0, at + step);
            if (stages == 1) continue;
            var (w2r, w2i) = LoadTwiddle<TW, TV>(ref tr0, ref ti0, 2 * h + k);
            var (cr, ci) = TW.MultiplyComplex(ar, ai, w2r, w2i);
            var (dr, di) = TW.MultiplyComplex(cr, ci, w1r, w1i);
            TW.Store(cr, ref r0, at + 2 * step); TW.Store(ci, ref i0, at + 2 * step);
            TW.Store(dr, ref r0, at + 3 * step); TW.Store(di, ref i0, at + 3 * step);
        }
    }

    /// <summary>The radix-8, radix-4 or radix-2 pass on registers of one width.</summary>
    /// <remarks>
    /// The passes, and each direction of the transposed pass, are compiled on their own (not inlined): each inlines dozens
    /// of generic helpers down to single instructions, and the JIT's inlining budget is per compiled method. Inlined
    /// into their callers (tier-1 PGO does that for hot calls) they ran out of budget and left helper calls in the loops,
    /// a double spectrum 270 → 340-460 µs; both transposed directions in one method left a call and vector spills in it.
    /// </remarks>
    private void Pass<TW, TV>(ref T r0, ref T i0, int from, int to, int h, int stages, bool decimateInTime)
        where TW : struct, IVectorWidth<TV, T> where TV : struct
    {
        if (stages == 3) PassEight<TW, TV>(ref r0, ref i0, from, to, h, decimateInTime);
        else if (stages == 2) PassFour<TW, TV>(ref r0, ref i0, from, to, h, decimateInTime);
        else PassTwo<TW, TV>(ref r0, ref i0, from, to, h, decimateInTime);
    }

    /// <summary>
    /// Three radix-2 stages (half-sizes h, 2h, 4h) on [from, to), h a multiple of the lanes: eight points h apart stay in
    /// registers, so the data is loaded and stored once instead of twice (radix-4 + radix-2).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PassEight<TW, TV>(ref T r0, ref T i0, int from, int to, int h, bool decimateInTime)
        where TW : struct, IVectorWidth<TV, T> where TV : struct
    {
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        var step = (nuint)h;
        for (var s = from; s < to; s += 8 * h)
        {
            for (var k = 0; k < h; k += TW.Lanes)
            {
                var at = (nuint)(s + k);
                var (w1r, w1i) = LoadTwiddle<TW, TV>(ref tr0, ref ti0, h + k);
                var (w2r, w2i) = LoadTwiddle<TW, TV>(ref tr0, ref ti0, 2 * h + k);
                var (w3r, w3i) = LoadTwiddle<TW, TV>(ref tr0, ref ti0, 4 * h + k);
                var (w4r, w4i) = LoadTwiddle<TW, TV>(ref tr0, ref ti0, 5 * h + k);
                var (w5r, w5i) = LoadTwiddle<TW, TV>(ref _twiddleThreeRe.Reference, ref _twiddleThreeIm.Reference, h + k);
                var (x0r, x1r, x2r, x3r) = LoadFour<TW, TV>(ref r0, at, step);
                var (x4r, x5r, x6r, x7r) = LoadFour<TW, TV>(ref r0, at + 4 * step, step);
                var (x0i, x1i, x2i, x3i) = LoadFour<TW, TV>(ref i0, at, step);
                var (x4i, x5i, x6i, x7i) = LoadFour<TW, TV>(ref i0, at + 4 * step, step);
                // Twiddles of the second half of a stage are −i times those of its first half: e^{-πi(k+H/2)/H} = −i·e^{-πik/H}.
                if (decimateInTime)
                {
                    RadixFourInTime<TW, TV>(ref x0r, ref x0i, ref x1r, ref x1i, ref x2r, ref x2i, ref x3r, ref x3i, w1r, w1i, w2r, w2i, w5r, w5i);
                    RadixFourInTime<TW, TV>(ref x4r, ref x4i, ref x5r, ref x5i, ref x6r, ref x6i, ref x7r, ref x7i, w1r, w1i, w2r, w2i, w5r, w5i);
                    InTime<TW, TV>(ref x0r, ref x0i, ref x4r, ref x4i, w3r, w3i);
                    InTime<TW, TV>(ref x1r, ref x1i, ref x5r, ref x5i, w4r, w4i);
                    InTimeMinusI<TW, TV>(ref x2r, ref x2i, ref x6r, ref x6i, w3r, w3i);
                    InTimeMinusI<TW, TV>(ref x3r, ref x3i, ref x7r, ref x7i, w4r, w4i);
                }
                else
                {
                    InFrequency<TW, TV>(ref x0r, ref x0i, ref x4r, ref x4i, w3r, w3i);
                    InFrequency<TW, TV>(ref x1r, ref x1i, ref x5r, ref x5i, w4r, w4i);
                    InFrequencyMinusI<TW, TV>(ref x2r, ref x2i, ref x6r, ref x6i, w3r, w3i);
                    InFrequencyMinusI<TW, TV>(ref x3r, ref x3i, ref x7r, ref x7i, w4r, w4i);
                    RadixFourInFrequency<TW, TV>(ref x0r, ref x0i, ref x1r, ref x1i, ref x2r, ref x2i, ref x3r, ref x3i, w1r, w1i, w2r, w2i, w5r, w5i);
                    RadixFourInFrequency<TW, TV>(ref x4r, ref x4i, ref x5r, ref x5i, ref x6r, ref x6i, ref x7r, ref x7i, w1r, w1i, w2r, w2i, w5r, w5i);
                }
                StoreFour<TW, TV>(ref r0, at, step, x0r, x1r, x2r, x3r);
                StoreFour<TW, TV>(ref r0, at + 4 * step, step, x4r, x5r, x6r, x7r);
                StoreFour<TW, TV>(ref i0, at, step, x0i, x1i, x2i, x3i);
                StoreFour<TW, TV>(ref i0, at + 4 * step, step, x4i, x5i, x6i, x7i);
            }
        }
    }

    /// <summary>Two radix-2 stages (half-sizes h and 2h) on [from, to).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PassFour<TW, TV>(ref T r0, ref T i0, int from, int to, int h, bool decimateInTime)
        where TW : struct, IVectorWidth<TV, T> where TV : struct
    {
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        ref var t3r0 = ref _twiddleThreeRe.Reference;
        ref var t3i0 = ref _twiddleThreeIm.Reference;
        var step = (nuint)h;
        for (var s = from; s < to; s += 4 * h)
        {
            for (var k = 0; k < h; k += TW.Lanes)
            {
                var at = (nuint)(s + k);
                var (w1r, w1i) = LoadTwiddle<TW, TV>(ref tr0, ref ti0, h + k);
                var (w2r, w2i) = LoadTwiddle<TW, TV>(ref tr0, ref ti0, 2 * h + k);
                var (w3r, w3i) = LoadTwiddle<TW, TV>(ref t3r0, ref t3i0, h + k);
                var (ar, br, cr, dr) = LoadFour<TW, TV>(ref r0, at, step);
                var (ai, bi, ci, di) = LoadFour<TW, TV>(ref i0, at, step);
                if (decimateInTime) RadixFourInTime<TW, TV>(ref ar, ref ai, ref br, ref bi, ref cr, ref ci, ref dr, ref di, w1r, w1i, w2r, w2i, w3r, w3i);
                else RadixFourInFrequency<TW, TV>(ref ar, ref ai, ref br, ref bi, ref cr, ref ci, ref dr, ref di, w1r, w1i, w2r, w2i, w3r, w3i);
                StoreFour<TW, TV>(ref r0, at, step, ar, br, cr, dr);
                StoreFour<TW, TV>(ref i0, at, step, ai, bi, ci, di);
            }
        }
    }

    /// <summary>One radix-2 stage of half-size h on [from, to) (pairs k, k + h; twiddle e^{-πik/h}).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PassTwo<TW, TV>(ref T r0, ref T i0, int from, int to, int h, bool decimateInTime)
        where TW : struct, IVectorWidth<TV, T> where TV : struct
    {
        ref var tr0 = ref _twiddleRe.Reference;
        ref var ti0 = ref _twiddleIm.Reference;
        for (var s = from; s < to; s += 2 * h)
        {
            for (var k = 0; k < h; k += TW.Lanes)
            {
                nuint a = (nuint)(s + k), b = a + (nuint)h;
                var (wr, wi) = LoadTwiddle<TW, TV>(ref tr0, ref ti0, h + k);
                TV ar = TW.Load(ref r0, a), ai = TW.Load(ref i0, a), br = TW.Load(ref r0, b), bi = TW.Load(ref i0, b);
                if (decimateInTime) InTime<TW, TV>(ref ar, ref ai, ref br, ref bi, wr, wi);
                else InFrequency<TW, TV>(ref ar, ref ai, ref br, ref bi, wr, wi);
                TW.Store(ar, ref r0, a); TW.Store(ai, ref i0, a);
                TW.Store(br, ref r0, b); TW.Store(bi, ref i0, b);
            }
        }
    }

    /// <summary>
    /// Decimation in time, the first log2(lanes) stages on [from, to), four vectors (4·lanes samples) at a time: a 4×4
    /// transpose (within each 128-bit half for 256-bit floats, each 256-bit half for 512-bit doubles; of the two
    /// four-sample groups for 128-bit doubles) puts sample j of neighbouring 4-point DFTs in one vector, so the 4-point
    /// DFTs run lane-wise (with two lanes they are the first two stages); with 8 lanes the third stage pairs a
    /// vector's lower half with its upper half. When fused, the radix-4 pass of half-size lanes runs next, lane-wise on
    /// the untransposed vectors (vector j holds points k + j·lanes). With <paramref name="chunksTransposed"/> it loads
    /// without transposing.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TransposedPassInTime<TW, TV>(ref T r0, ref T i0, int from, int to, bool chunksTransposed)
        where TW : struct, ITransposableWidth<TV, T> where TV : struct
    {
        var (w1r, w1i, w2r, w2i, w3r, w3i, sign) = ChunkRegisters<TW, TV>();
        ref var hdr = ref _halfRe.Reference;
        ref var hdi = ref _halfIm.Reference;
        var step = (nuint)TW.Lanes;
        for (var at = (nuint)from; at < (nuint)to; at += 4 * step)
        {
            var (ar, br, cr, dr) = LoadFour<TW, TV>(ref r0, at, step);
            var (ai, bi, ci, di) = LoadFour<TW, TV>(ref i0, at, step);
            if (!chunksTransposed)
            {
                (ar, br, cr, dr) = TW.Transpose(ar, br, cr, dr);
                (ai, bi, ci, di) = TW.Transpose(ai, bi, ci, di);
            }
            // Natural 4-point DFT of (a, b, c, d) = (x0, x1, x2, x3): sums and differences of pairs, then −i on the odd one.
            Butterfly<TW, TV>(ref ar, ref ai, ref br, ref bi);
            Butterfly<TW, TV>(ref cr, ref ci, ref dr, ref di);
            Butterfly<TW, TV>(ref ar, ref ai, ref cr, ref ci);
            ButterflyMinusI<TW, TV>(ref br, ref bi, ref dr, ref di);
            if (TW.Lanes == 8)
            {
                (ar, ai) = HalfStageInTime<TW, TV>(ar, ai, sign, ref hdr, ref hdi, 0);
                (br, bi) = HalfStageInTime<TW, TV>(br, bi, sign, ref hdr, ref hdi, 1);
                (cr, ci) = HalfStageInTime<TW, TV>(cr, ci, sign, ref hdr, ref hdi, 2);
                (dr, di) = HalfStageInTime<TW, TV>(dr, di, sign, ref hdr, ref hdi, 3);
            }
            if (!FusesRadixFour(TW.Lanes, 8 * Unsafe.SizeOf<TV>()))
            {
                StoreTransposed<TW, TV>(ref r0, at, ar, br, cr, dr);
                StoreTransposed<TW, TV>(ref i0, at, ai, bi, ci, di);
                continue;
            }
            (ar, br, cr, dr) = TW.TransposeBack(ar, br, cr, dr);
            (ai, bi, ci, di) = TW.TransposeBack(ai, bi, ci, di);
            RadixFourInTime<TW, TV>(ref ar, ref ai, ref br, ref bi, ref cr, ref ci, ref dr, ref di, w1r, w1i, w2r, w2i, w3r, w3i);
            StoreFour<TW, TV>(ref r0, at, step, ar, br, cr, dr);
            StoreFour<TW, TV>(ref i0, at, step, ai, bi, ci, di);
        }
    }

    /// <summary>
    /// The mirror of <see cref="TransposedPassInTime"/>: the fused radix-4 pass first, then the 4-point DFTs, then the
    /// modulus when one is targeted (stored without transposing back when <see cref="ModulusTarget.ChunksTransposed"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TransposedPassInFrequency<TW, TV>(ref T r0, ref T i0, int from, int to, ModulusTarget modulus)
        where TW : struct, ITransposableWidth<TV, T> where TV : struct
    {
        var (w1r, w1i, w2r, w2i, w3r, w3i, sign) = ChunkRegisters<TW, TV>();
        ref var hdr = ref _halfRe.Reference;
        ref var hdi = ref _halfIm.Reference;
        var half = Length / 2;
        var scale = TW.Create(modulus.Scale);
        ref var firstHalf = ref MemoryMarshal.GetReference(modulus.FirstHalf);
        ref var secondHalf = ref MemoryMarshal.GetReference(modulus.SecondHalf);
        var step = (nuint)TW.Lanes;
        for (var at = (nuint)from; at < (nuint)to; at += 4 * step)
        {
            var (ar, br, cr, dr) = LoadFour<TW, TV>(ref r0, at, step);
            var (ai, bi, ci, di) = LoadFour<TW, TV>(ref i0, at, step);
            if (FusesRadixFour(TW.Lanes, 8 * Unsafe.SizeOf<TV>())) RadixFourInFrequency<TW, TV>(ref ar, ref ai, ref br, ref bi, ref cr, ref ci, ref dr, ref di, w1r, w1i, w2r, w2i, w3r, w3i);
            (ar, br, cr, dr) = TW.Transpose(ar, br, cr, dr);
            (ai, bi, ci, di) = TW.Transpose(ai, bi, ci, di);
            if (TW.Lanes == 8)
            {
                (ar, ai) = HalfStageInFrequency<TW, TV>(ar, ai, sign, ref hdr, ref hdi, 0);
                (br, bi) = HalfStageInFrequency<TW, TV>(br, bi, sign, ref hdr, ref hdi, 1);
                (cr, ci) = HalfStageInFrequency<TW, TV>(cr, ci, sign, ref hdr, ref hdi, 2);
                (dr, di) = HalfStageInFrequency<TW, TV>(dr, di, sign, ref hdr, ref hdi, 3);
            }
            // Same DFT with its output in bit-reversed order (X0, X2, X1, X3).
            Butterfly<TW, TV>(ref ar, ref ai, ref cr, ref ci);
            Butterfly<TW, TV>(ref br, ref bi, ref dr, ref di);
            Butterfly<TW, TV>(ref ar, ref ai, ref br, ref bi);
            ButterflyMinusI<TW, TV>(ref cr, ref ci, ref dr, ref di);
            if (!modulus.IsActive)
            {
                StoreTransposed<TW, TV>(ref r0, at, ar, br, cr, dr);
                StoreTransposed<TW, TV>(ref i0, at, ai, bi, ci, di);
                continue;
            }
            var (x0, x1, x2, x3) = (ScaledNorm<TW, TV>(ar, ai, scale), ScaledNorm<TW, TV>(br, bi, scale), ScaledNorm<TW, TV>(cr, ci, scale), ScaledNorm<TW, TV>(dr, di, scale));
            var s = (int)at;
            ref var target = ref s < half ? ref Unsafe.Add(ref firstHalf, s) : ref Unsafe.Add(ref secondHalf, s - half);
            if (modulus.ChunksTransposed) StoreFour<TW, TV>(ref target, 0, step, x0, x1, x2, x3);
            else StoreTransposed<TW, TV>(ref target, 0, x0, x1, x2, x3);
        }
    }

    /// <summary>
    /// What the transposed pass keeps in registers throughout: the twiddles of the fused radix-4 pass (half-sizes lanes
    /// and 2·lanes) and the half stage's signs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (TV W1Re, TV W1Im, TV W2Re, TV W2Im, TV W3Re, TV W3Im, TV Sign) ChunkRegisters<TW, TV>()
        where TW : struct, ITransposableWidth<TV, T> where TV : struct
    {
        var (w1r, w1i) = LoadTwiddle<TW, TV>(ref _twiddleRe.Reference, ref _twiddleIm.Reference, TW.Lanes);
        var (w2r, w2i) = LoadTwiddle<TW, TV>(ref _twiddleRe.Reference, ref _twiddleIm.Reference, 2 * TW.Lanes);
        var (w3r, w3i) = LoadTwiddle<TW, TV>(ref _twiddleThreeRe.Reference, ref _twiddleThreeIm.Reference, TW.Lanes);
        return (w1r, w1i, w2r, w2i, w3r, w3i, TW.Load(ref _halfSign.Reference, 0));
    }

    /// <summary>
    /// Radix-4 decimation-in-time butterfly on points a, b, c, d (h apart), the two radix-2 stages of half-sizes h (twiddle
    /// w1) and 2h (w2) with three twiddle multiplies instead of four: b·w1, c·w2 and d·w3 (w3 = w1·w2), then a 4-point DFT.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RadixFourInTime<TW, TV>(ref TV ar, ref TV ai, ref TV br, ref TV bi, ref TV cr, ref TV ci, ref TV dr, ref TV di,
        TV w1r, TV w1i, TV w2r, TV w2i, TV w3r, TV w3i)
        where TW : struct, IVectorWidth<TV, T> where TV : struct
    {
        (br, bi) = TW.MultiplyComplex(br, bi, w1r, w1i);
        (cr, ci) = TW.MultiplyComplex(cr, ci, w2r, w2i);
        (dr, di) = TW.MultiplyComplex(dr, di, w3r, w3i);
        Butterfly<TW, TV>(ref ar, ref ai, ref br, ref bi);
        Butterfly<TW, TV>(ref cr, ref ci, ref dr, ref di);
        Butterfly<TW, TV>(ref ar, ref ai, ref cr, ref ci);
        ButterflyMinusI<TW, TV>(ref br, ref bi, ref dr, ref di);
    }

    /// <summary>The mirror of <see cref="RadixFourInTime"/>: the 4-point DFT, then b·w1, c·w2 and d·w3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RadixFourInFrequency<TW, TV>(ref TV ar, ref TV ai, ref TV br, ref TV bi, ref TV cr, ref TV ci, ref TV dr, ref TV di,
        TV w1r, TV w1i, TV w2r, TV w2i, TV w3r, TV w3i)
        where TW : struct, IVectorWidth<TV, T> where TV : struct
    {
        Butterfly<TW, TV>(ref ar, ref ai, ref cr, ref ci);
        Butterfly<TW, TV>(ref br, ref bi, ref dr, ref di);
        Butterfly<TW, TV>(ref ar, ref ai, ref br, ref bi);
        ButterflyMinusI<TW, TV>(ref cr, ref ci, ref dr, ref di);
        (br, bi) = TW.MultiplyComplex(br, bi, w1r, w1i);
        (cr, ci) = TW.MultiplyComplex(cr, ci, w2r, w2i);
        (dr, di) = TW.MultiplyComplex(dr, di, w3r, w3i);
    }

    /// <summary>Decimation-in-time butterfly: (a, b) ← (a + w·b, a − w·b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InTime<TW, TV>(ref TV ar, ref TV ai, ref TV br, ref TV bi, TV wr, TV wi)
        where TW : struct, IVectorWidth<TV, T> where TV : struct
    {
        (br, bi) = TW.MultiplyComplex(br, bi, wr, wi);
        Butterfly<TW, TV>(ref ar, ref ai, ref br, ref bi);
    }

    /// <summary>Decimation-in-time butterfly with twiddle −i·w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InTimeMinusI<TW, TV>(ref TV ar, ref TV ai, ref TV br, ref TV bi, TV wr, TV wi)
        where TW : struct, IVectorWidth<TV, T> where TV : struct
    {
        (br, bi) = TW.MultiplyComplex(br, bi, wr, wi);
        ButterflyMinusI<TW, TV>(ref ar, ref ai, ref br, ref bi);
    }

    /// <summary>Decimation-in-frequency butterfly: (a, b) ← (a + b, (a − b)·w).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InFrequency<TW, TV>(ref TV ar, ref TV ai, ref TV br, ref TV bi, TV wr, TV wi)
        where TW : struct, IVectorWidth<TV, T> where TV : struct
    {
        Butterfly<TW, TV>(ref ar, ref ai, ref br, ref bi);
        (br, bi) = TW.MultiplyComplex(br, bi, wr, wi);
    }

    /// <summary>Decimation-in-frequency butterfly with twiddle −i·w: (−i)·z = (zi, −zr).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InFrequencyMinusI<TW, TV>(ref TV ar, ref TV ai, ref TV br, ref TV bi, TV wr, TV wi)
        where TW : struct, IVectorWidth<TV, T> where TV : struct
    {
        Butterfly<TW, TV>(ref ar, ref ai, ref br, ref bi);
        var (zr, zi) = TW.MultiplyComplex(br, bi, wr, wi);
        (br, bi) = (zi, TW.Negate(zr));
    }

    /// <summary>(a, b) ← (a + b, a − b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly<TW, TV>(ref TV ar, ref TV ai, ref TV br, ref TV bi)
        where TW : struct, IVectorWidth<TV, T> where TV : struct =>
        (ar, ai, br, bi) = (TW.Add(ar, br), TW.Add(ai, bi), TW.Subtract(ar, br), TW.Subtract(ai, bi));

    /// <summary>(a, b) ← (a + (−i)·b, a − (−i)·b), where (−i)·b = (bi, −br).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ButterflyMinusI<TW, TV>(ref TV ar, ref TV ai, ref TV br, ref TV bi)
        where TW : struct, IVectorWidth<TV, T> where TV : struct =>
        (ar, ai, br, bi) = (TW.Add(ar, bi), TW.Subtract(ai, br), TW.Subtract(ar, bi), TW.Add(ai, br));

    /// <summary>[lo + w·hi | lo − w·hi] of transposed vector j (decimation in time, h = lanes/2): u = [lo | w·hi], then ±u + (u, halves swapped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TV, TV) HalfStageInTime<TW, TV>(TV re, TV im, TV sign, ref T wr, ref T wi, int j)
        where TW : struct, ITransposableWidth<TV, T> where TV : struct
    {
        var (ur, ui) = TW.MultiplyComplex(re, im, TW.Load(ref wr, (nuint)(j * TW.Lanes)), TW.Load(ref wi, (nuint)(j * TW.Lanes)));
        return (TW.Add(TW.Multiply(sign, ur), TW.SwapHalves(ur)), TW.Add(TW.Multiply(sign, ui), TW.SwapHalves(ui)));
    }

    /// <summary>[lo + hi | (lo − hi)·w] of transposed vector j (decimation in frequency, h = lanes/2): (±v + v with halves swapped)·[1 | w].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TV, TV) HalfStageInFrequency<TW, TV>(TV re, TV im, TV sign, ref T wr, ref T wi, int j)
        where TW : struct, ITransposableWidth<TV, T> where TV : struct =>
        TW.MultiplyComplex(TW.Add(TW.Multiply(sign, re), TW.SwapHalves(re)), TW.Add(TW.Multiply(sign, im), TW.SwapHalves(im)),
            TW.Load(ref wr, (nuint)(j * TW.Lanes)), TW.Load(ref wi, (nuint)(j * TW.Lanes)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ScaledNorm<TW, TV>(TV re, TV im, TV scale)
        where TW : struct, ITransposableWidth<TV, T> where TV : struct =>
        TW.Multiply(TW.Sqrt(TW.MultiplyAdd(re, re, TW.Multiply(im, im))), scale);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TV Re, TV Im) LoadTwiddle<TW, TV>(ref T re, ref T im, int at)
        where TW : struct, IVectorWidth<TV, T> where TV : struct =>
        (TW.Load(ref re, (nuint)at), TW.Load(ref im, (nuint)at));

    /// <summary>The four registers at origin + at + j·step, j = 0..3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TV, TV, TV, TV) LoadFour<TW, TV>(ref T origin, nuint at, nuint step)
        where TW : struct, IVectorWidth<TV, T> where TV : struct =>
        (TW.Load(ref origin, at), TW.Load(ref origin, at + step), TW.Load(ref origin, at + 2 * step), TW.Load(ref origin, at + 3 * step));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFour<TW, TV>(ref T origin, nuint at, nuint step, TV a, TV b, TV c, TV d)
        where TW : struct, IVectorWidth<TV, T> where TV : struct
    {
        TW.Store(a, ref origin, at);
        TW.Store(b, ref origin, at + step);
        TW.Store(c, ref origin, at + 2 * step);
        TW.Store(d, ref origin, at + 3 * step);
    }

    /// <summary>Transposes the four vectors back and stores them side by side.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTransposed<TW, TV>(ref T origin, nuint at, TV a, TV b, TV c, TV d)
        where TW : struct, ITransposableWidth<TV, T> where TV : struct
    {
        var (v0, v1, v2, v3) = TW.TransposeBack(a, b, c, d);
        StoreFour<TW, TV>(ref origin, at, (nuint)TW.Lanes, v0, v1, v2, v3);
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
