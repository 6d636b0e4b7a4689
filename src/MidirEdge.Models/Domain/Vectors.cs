using System.Numerics;

namespace MidirEdge.Models.Domain;

/// <summary>SIMD dot product and scaled addition over equal-length spans.</summary>
internal static class Vectors
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = Vector<double>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
            sum += new Vector<double>(a[i..]) * new Vector<double>(b[i..]);
        var result = Vector.Sum(sum);
        for (; i < a.Length; i++) result += a[i] * b[i];
        return result;
    }

    /// <summary>target += factor × source.</summary>
    public static void AddScaled(Span<double> target, ReadOnlySpan<double> source, double factor)
    {
        var f = new Vector<double>(factor);
        var i = 0;
        for (; i <= target.Length - Vector<double>.Count; i += Vector<double>.Count)
            (new Vector<double>(target[i..]) + f * new Vector<double>(source[i..])).CopyTo(target[i..]);
        for (; i < target.Length; i++) target[i] += factor * source[i];
    }
}
