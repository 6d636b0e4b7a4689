using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MidirEdge.Scattering.Fourier;

/// <summary>Vectorised element-wise kernels on split complex spectra.</summary>
internal static class SpectrumMath
{
    /// <summary>dst = src · filter (complex src, real filter), element-wise; with <paramref name="accumulate"/> dst += src · filter.</summary>
    /// <remarks>Inlined, so that the constant <paramref name="accumulate"/> of each call site removes the test from the loop.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply<T>(ReadOnlySpan<T> srcRe, ReadOnlySpan<T> srcIm, ReadOnlySpan<T> filter,
        Span<T> dstRe, Span<T> dstIm, bool accumulate) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = filter.Length;
        if (srcRe.Length < n || srcIm.Length < n || dstRe.Length < n || dstIm.Length < n)
            throw new ArgumentException("spans shorter than the filter.");
        ref var sr = ref MemoryMarshal.GetReference(srcRe);
        ref var si = ref MemoryMarshal.GetReference(srcIm);
        ref var f = ref MemoryMarshal.GetReference(filter);
        ref var dr = ref MemoryMarshal.GetReference(dstRe);
        ref var di = ref MemoryMarshal.GetReference(dstIm);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<T>.Count;
            for (; i <= n - width; i += width)
            {
                var vf = Vector.LoadUnsafe(ref f, (nuint)i);
                var pr = Vector.LoadUnsafe(ref sr, (nuint)i) * vf;
                var pi = Vector.LoadUnsafe(ref si, (nuint)i) * vf;
                if (accumulate)
                {
                    pr += Vector.LoadUnsafe(ref dr, (nuint)i);
                    pi += Vector.LoadUnsafe(ref di, (nuint)i);
                }
                pr.StoreUnsafe(ref dr, (nuint)i);
                pi.StoreUnsafe(ref di, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T pr = Unsafe.Add(ref sr, i) * Unsafe.Add(ref f, i), pi = Unsafe.Add(ref si, i) * Unsafe.Add(ref f, i);
            Unsafe.Add(ref dr, i) = accumulate ? Unsafe.Add(ref dr, i) + pr : pr;
            Unsafe.Add(ref di, i) = accumulate ? Unsafe.Add(ref di, i) + pi : pi;
        }
    }

    /// <summary>dst = scale · |re + i·im|, element-wise.</summary>
    public static void ScaledModulus<T>(ReadOnlySpan<T> re, ReadOnlySpan<T> im, T scale, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = dst.Length;
        if (re.Length < n || im.Length < n) throw new ArgumentException("spans shorter than the destination.");
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var m = ref MemoryMarshal.GetReference(im);
        ref var d = ref MemoryMarshal.GetReference(dst);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<T>.Count;
            var vs = new Vector<T>(scale);
            for (; i <= n - width; i += width)
            {
                var vr = Vector.LoadUnsafe(ref r, (nuint)i);
                var vm = Vector.LoadUnsafe(ref m, (nuint)i);
                (Vector.SquareRoot(vr * vr + vm * vm) * vs).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            var vr = Unsafe.Add(ref r, i);
            var vm = Unsafe.Add(ref m, i);
            Unsafe.Add(ref d, i) = T.Sqrt(vr * vr + vm * vm) * scale;
        }
    }
}
