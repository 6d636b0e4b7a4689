using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace MidirEdge.Scattering.Fourier;

/// <summary>
/// The arithmetic of the FFT butterflies on one register width: <typeparamref name="TV"/> holds <see cref="Lanes"/>
/// samples of <typeparamref name="T"/> (<typeparamref name="T"/> itself, <see cref="Vector256{T}"/> or
/// <see cref="Vector512{T}"/>). The passes are written once, generic over a struct implementing this; the JIT compiles
/// one copy per struct with every member inlined to the instruction it wraps. (Vector256 and Vector512 do not expose
/// their operators through a public generic-math interface, hence this one.)
/// </summary>
internal interface IVectorWidth<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Samples per register.</summary>
    static abstract int Lanes { get; }

    /// <summary>The register at origin + at (no alignment needed).</summary>
    static abstract TV Load(ref T origin, nuint at);

    /// <summary>Writes the register at origin + at.</summary>
    static abstract void Store(TV value, ref T origin, nuint at);

    /// <summary>a + b, lane-wise.</summary>
    static abstract TV Add(TV a, TV b);

    /// <summary>a − b, lane-wise.</summary>
    static abstract TV Subtract(TV a, TV b);

    /// <summary>−a, lane-wise.</summary>
    static abstract TV Negate(TV a);

    /// <summary>(ar + i·ai)·(br + i·bi), lane-wise, with fused multiply-adds where the CPU has them.</summary>
    static abstract (TV Re, TV Im) MultiplyComplex(TV ar, TV ai, TV br, TV bi);
}

/// <summary>A SIMD width the transposed pass runs on: its lane shuffles and the modulus arithmetic.</summary>
internal interface ITransposableWidth<TV, T> : IVectorWidth<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The value in every lane.</summary>
    static abstract TV Create(T value);

    /// <summary>a·b, lane-wise.</summary>
    static abstract TV Multiply(TV a, TV b);

    /// <summary>a·b + c, lane-wise, as one fused multiply-add where the CPU has them.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    /// <summary>√a, lane-wise.</summary>
    static abstract TV Sqrt(TV a);

    /// <summary>
    /// 4×4 transposes, one per four-lane block of the registers: in each block, row j of the result holds element j of
    /// each input row (with two lanes: element j of each four-sample group, see <see cref="Width128{T}"/>).
    /// </summary>
    static abstract (TV, TV, TV, TV) Transpose(TV v0, TV v1, TV v2, TV v3);

    /// <summary>The inverse of <see cref="Transpose"/> (the same shuffles but with two lanes).</summary>
    static abstract (TV, TV, TV, TV) TransposeBack(TV v0, TV v1, TV v2, TV v3);

    /// <summary>The lanes in reverse order.</summary>
    static abstract TV Reverse(TV v);

    /// <summary>The register with its lower and upper halves swapped.</summary>
    static abstract TV SwapHalves(TV v);
}

/// <summary>One sample per register: the passes' path where the half-size is below the SIMD lanes or there is no SIMD.</summary>
internal readonly struct Scalar<T> : IVectorWidth<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Lanes => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(ref T origin, nuint at) => Unsafe.Add(ref origin, at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, ref T origin, nuint at) => Unsafe.Add(ref origin, at) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T a, T b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Subtract(T a, T b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Negate(T a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (T Re, T Im) MultiplyComplex(T ar, T ai, T br, T bi) => (ar * br - ai * bi, ar * bi + ai * br);
}

/// <summary>
/// 128-bit registers (SSE, Arm NEON): 2 doubles or 4 floats, on CPUs without 256-bit vectors (a Raspberry-class field
/// box) or where 128-bit vectors are preferred; fused multiply-adds where the CPU has them. Transposes with SSE's or
/// NEON's unpacks (zips): of floats, a whole 4×4 block; of doubles, the two four-sample groups in four registers.
/// </summary>
internal readonly struct Width128<T> : ITransposableWidth<Vector128<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Lanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<T>.Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref T origin, nuint at) => Vector128.LoadUnsafe(ref origin, at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T origin, nuint at) => value.StoreUnsafe(ref origin, at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Create(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Negate(Vector128<T> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c) => typeof(T) == typeof(double)
        ? Vector128.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
        : Vector128.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sqrt(Vector128<T> a) => Vector128.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<T> Re, Vector128<T> Im) MultiplyComplex(Vector128<T> ar, Vector128<T> ai, Vector128<T> br, Vector128<T> bi)
    {
        // ar·br − ai·bi as one fused multiply-subtract: Vector128.FusedMultiplyAdd of a negated product costs a sign flip
        // (and its constant's load) per multiply on x64.
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
        if (AdvSimd.Arm64.IsSupported && typeof(T) == typeof(double))
        {
            var re = AdvSimd.Arm64.FusedMultiplySubtract((ar * br).AsDouble(), ai.AsDouble(), bi.AsDouble());
            var im = AdvSimd.Arm64.FusedMultiplyAdd((ai * br).AsDouble(), ar.AsDouble(), bi.AsDouble());
            return (re.As<double, T>(), im.As<double, T>());
        }
        if (AdvSimd.IsSupported && typeof(T) == typeof(float))
        {
            var re = AdvSimd.FusedMultiplySubtract((ar * br).AsSingle(), ai.AsSingle(), bi.AsSingle());
            var im = AdvSimd.FusedMultiplyAdd((ai * br).AsSingle(), ar.AsSingle(), bi.AsSingle());
            return (re.As<float, T>(), im.As<float, T>());
        }
        return (ar * br - ai * bi, ar * bi + ai * br);
    }

    /// <summary>
    /// Floats: the 4×4 transpose. Doubles: registers (x0 x1), (x2 x3), (x4 x5), (x6 x7) to (x0 x4), (x1 x5), (x2 x6),
    /// (x3 x7), element j of each four-sample group; <see cref="TransposeBack"/> undoes it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<T>, Vector128<T>, Vector128<T>, Vector128<T>) Transpose(Vector128<T> v0, Vector128<T> v1, Vector128<T> v2, Vector128<T> v3)
    {
        if (typeof(T) == typeof(double)) return (ZipLow(v0, v2), ZipHigh(v0, v2), ZipLow(v1, v3), ZipHigh(v1, v3));
        var (t0, t1, t2, t3) = (ZipLow(v0, v1), ZipHigh(v0, v1), ZipLow(v2, v3), ZipHigh(v2, v3));
        return (ZipLow64(t0, t2), ZipHigh64(t0, t2), ZipLow64(t1, t3), ZipHigh64(t1, t3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<T>, Vector128<T>, Vector128<T>, Vector128<T>) TransposeBack(Vector128<T> v0, Vector128<T> v1, Vector128<T> v2, Vector128<T> v3) =>
        typeof(T) == typeof(double) ? (ZipLow(v0, v1), ZipLow(v2, v3), ZipHigh(v0, v1), ZipHigh(v2, v3)) : Transpose(v0, v1, v2, v3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SwapHalves(Vector128<T> v) => Vector128.Shuffle(v.AsInt64(), Vector128.Create(1L, 0)).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Reverse(Vector128<T> v) => typeof(T) == typeof(double)
        ? Vector128.Shuffle(v.AsDouble(), Vector128.Create(1L, 0)).As<double, T>()
        : Vector128.Shuffle(v.AsSingle(), Vector128.Create(3, 2, 1, 0)).As<float, T>();

    /// <summary>Lanes 0, 0', 1, 1', ... of the lower halves of a and b interleaved (SSE unpcklps/pd, NEON zip1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> ZipLow(Vector128<T> a, Vector128<T> b)
    {
        if (typeof(T) == typeof(double))
        {
            if (Sse2.IsSupported) return Sse2.UnpackLow(a.AsDouble(), b.AsDouble()).As<double, T>();
            if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.ZipLow(a.AsDouble(), b.AsDouble()).As<double, T>();
            return Vector128.Create(a.AsDouble().GetElement(0), b.AsDouble().GetElement(0)).As<double, T>();
        }
        if (Sse.IsSupported) return Sse.UnpackLow(a.AsSingle(), b.AsSingle()).As<float, T>();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.ZipLow(a.AsSingle(), b.AsSingle()).As<float, T>();
        var (x, y) = (a.AsSingle(), b.AsSingle());
        return Vector128.Create(x.GetElement(0), y.GetElement(0), x.GetElement(1), y.GetElement(1)).As<float, T>();
    }

    /// <summary>The upper halves of a and b interleaved (SSE unpckhps/pd, NEON zip2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> ZipHigh(Vector128<T> a, Vector128<T> b)
    {
        if (typeof(T) == typeof(double))
        {
            if (Sse2.IsSupported) return Sse2.UnpackHigh(a.AsDouble(), b.AsDouble()).As<double, T>();
            if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.ZipHigh(a.AsDouble(), b.AsDouble()).As<double, T>();
            return Vector128.Create(a.AsDouble().GetElement(1), b.AsDouble().GetElement(1)).As<double, T>();
        }
        if (Sse.IsSupported) return Sse.UnpackHigh(a.AsSingle(), b.AsSingle()).As<float, T>();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.ZipHigh(a.AsSingle(), b.AsSingle()).As<float, T>();
        var (x, y) = (a.AsSingle(), b.AsSingle());
        return Vector128.Create(x.GetElement(2), y.GetElement(2), x.GetElement(3), y.GetElement(3)).As<float, T>();
    }

    /// <summary>The lower 64 bits of a, then those of b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> ZipLow64(Vector128<T> a, Vector128<T> b) =>
        Width128<double>.ZipLow(a.AsDouble(), b.AsDouble()).As<double, T>();

    /// <summary>The upper 64 bits of a, then those of b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> ZipHigh64(Vector128<T> a, Vector128<T> b) =>
        Width128<double>.ZipHigh(a.AsDouble(), b.AsDouble()).As<double, T>();
}

/// <summary>
/// 256-bit registers: 4 doubles or 8 floats. Transposes whole vectors of doubles or each 128-bit half of floats on its own.
/// </summary>
internal readonly struct Width256<T> : ITransposableWidth<Vector256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Lanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<T>.Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T origin, nuint at) => Vector256.LoadUnsafe(ref origin, at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T origin, nuint at) => value.StoreUnsafe(ref origin, at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Create(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Negate(Vector256<T> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) => typeof(T) == typeof(double)
        ? Vector256.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
        : Vector256.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sqrt(Vector256<T> a) => Vector256.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<T> Re, Vector256<T> Im) MultiplyComplex(Vector256<T> ar, Vector256<T> ai, Vector256<T> br, Vector256<T> bi)
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<T>, Vector256<T>, Vector256<T>, Vector256<T>) Transpose(Vector256<T> v0, Vector256<T> v1, Vector256<T> v2, Vector256<T> v3)
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SwapHalves(Vector256<T> v) => Avx.Permute2x128(v.AsSingle(), v.AsSingle(), 0x01).As<float, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<T>, Vector256<T>, Vector256<T>, Vector256<T>) TransposeBack(Vector256<T> v0, Vector256<T> v1, Vector256<T> v2, Vector256<T> v3) =>
        Transpose(v0, v1, v2, v3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Reverse(Vector256<T> v) => typeof(T) == typeof(double)
        ? Avx2.Permute4x64(v.AsDouble(), 0b00_01_10_11).As<double, T>()
        : Avx2.PermuteVar8x32(v.AsSingle(), Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0)).As<float, T>();
}

/// <summary>
/// 512-bit registers (AVX-512): 8 doubles or 16 floats. Transposes (doubles only: the 512-bit transposed pass is planned
/// for doubles) each 256-bit half on its own.
/// </summary>
internal readonly struct Width512<T> : ITransposableWidth<Vector512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Lanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<T>.Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T origin, nuint at) => Vector512.LoadUnsafe(ref origin, at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T origin, nuint at) => value.StoreUnsafe(ref origin, at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Create(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Negate(Vector512<T> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) => typeof(T) == typeof(double)
        ? Vector512.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
        : Vector512.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sqrt(Vector512<T> a) => Vector512.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<T> Re, Vector512<T> Im) MultiplyComplex(Vector512<T> ar, Vector512<T> ai, Vector512<T> br, Vector512<T> bi)
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<T>, Vector512<T>, Vector512<T>, Vector512<T>) Transpose(Vector512<T> v0, Vector512<T> v1, Vector512<T> v2, Vector512<T> v3)
    {
        if (typeof(T) != typeof(double)) throw new NotSupportedException("512-bit 4×4 transposes are of doubles only.");
        var t0 = Avx512F.UnpackLow(v0.AsDouble(), v1.AsDouble());
        var t1 = Avx512F.UnpackHigh(v0.AsDouble(), v1.AsDouble());
        var t2 = Avx512F.UnpackLow(v2.AsDouble(), v3.AsDouble());
        var t3 = Avx512F.UnpackHigh(v2.AsDouble(), v3.AsDouble());
        var low = Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13);
        var high = Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15);
        return (Avx512F.PermuteVar8x64x2(t0, low, t2).As<double, T>(), Avx512F.PermuteVar8x64x2(t1, low, t3).As<double, T>(),
            Avx512F.PermuteVar8x64x2(t0, high, t2).As<double, T>(), Avx512F.PermuteVar8x64x2(t1, high, t3).As<double, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SwapHalves(Vector512<T> v) => Avx512F.Shuffle4x128(v.AsDouble(), v.AsDouble(), 0x4E).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<T>, Vector512<T>, Vector512<T>, Vector512<T>) TransposeBack(Vector512<T> v0, Vector512<T> v1, Vector512<T> v2, Vector512<T> v3) =>
        Transpose(v0, v1, v2, v3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Reverse(Vector512<T> v) => typeof(T) == typeof(double)
        ? Avx512F.PermuteVar8x64(v.AsDouble(), Vector512.Create(7L, 6, 5, 4, 3, 2, 1, 0)).As<double, T>()
        : Avx512F.PermuteVar16x32(v.AsSingle(), Vector512.Create(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)).As<float, T>();
}
