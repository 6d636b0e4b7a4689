namespace MidirEdge.Agent.Qc;

/// <summary>Measurements on a window of a spectrum with a monotonic, evenly spaced x axis.</summary>
internal static class SpectralMeasures
{
    /// <summary>Population standard deviation over the largest absolute value (0 when all values are 0); finite values only.</summary>
    public static double RelativeSpread(ReadOnlySpan<double> y)
    {
        double mean = 0, magnitude = 0;
        foreach (var v in y)
        {
            mean += v;
            magnitude = Math.Max(magnitude, Math.Abs(v));
        }
        if (magnitude == 0) return 0;
        mean /= y.Length;
        var squares = 0.0;
        foreach (var v in y) squares += (v - mean) * (v - mean);
        return Math.Sqrt(squares / y.Length) / magnitude;
    }

    /// <summary>First index and count of the points with <paramref name="low"/> ≤ x ≤ <paramref name="high"/>; count 0 when none.</summary>
    public static (int Start, int Count) Window(ReadOnlySpan<double> x, double low, double high)
    {
        int first = -1, last = -1;
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] < low || x[i] > high) continue;
            if (first < 0) first = i;
            last = i;
        }
        return first < 0 ? (0, 0) : (first, last - first + 1);
    }

    /// <summary>
    /// RMS of the second difference divided by √6: the standard deviation of white noise on the points,
    /// blind to any locally linear background and nearly blind to bands much wider than the point spacing.
    /// </summary>
    public static double Roughness(ReadOnlySpan<double> y)
    {
        if (y.Length < 3) return double.NaN;
        var sum = 0.0;
        for (var i = 1; i < y.Length - 1; i++)
        {
            var d2 = y[i - 1] - 2 * y[i] + y[i + 1];
            sum += d2 * d2;
        }
        return Math.Sqrt(sum / (y.Length - 2) / 6);
    }

    /// <summary>
    /// Largest absolute departure of y inside [<paramref name="low"/>, <paramref name="high"/>] from a quadratic baseline
    /// fitted by least squares to the flanking windows of width <paramref name="flank"/> on either side; NaN when a flank is empty.
    /// A quadratic follows the gentle curvature of a soil background across the band, which a straight line does not.
    /// </summary>
    public static double BandStrength(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double low, double high, double flank)
    {
        var (ls, lc) = Window(x, low - flank, low);
        var (hs, hc) = Window(x, high, high + flank);
        var (start, count) = Window(x, low, high);
        if (lc < 2 || hc < 2 || count == 0) return double.NaN;
        // Normal equations of y = a + b·t + c·t² with t centred and scaled on the band, which keeps them well conditioned.
        var centre = (low + high) / 2;
        var scale = (high - low) / 2 + flank;
        Span<double> m = stackalloc double[5];
        Span<double> r = stackalloc double[3];
        Accumulate(x.Slice(ls, lc), y.Slice(ls, lc), centre, scale, m, r);
        Accumulate(x.Slice(hs, hc), y.Slice(hs, hc), centre, scale, m, r);
        if (!Solve3(m, r, out var a, out var b, out var c)) return double.NaN;
        var strength = 0.0;
        for (var i = start; i < start + count; i++)
        {
            var t = (x[i] - centre) / scale;
            strength = Math.Max(strength, Math.Abs(y[i] - (a + t * (b + t * c))));
        }
        return strength;
    }

    /// <summary>Index of the largest value and the length of the longest run of consecutive points within <paramref name="tolerance"/> of it.</summary>
    public static (int Max, int Run) FlatTop(ReadOnlySpan<double> y, double tolerance)
    {
        var max = 0;
        for (var i = 1; i < y.Length; i++)
            if (y[i] > y[max]) max = i;
        int run = 0, longest = 0;
        foreach (var v in y)
        {
            run = y[max] - v <= tolerance ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return (max, longest);
    }

    private static void Accumulate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double centre, double scale, Span<double> m, Span<double> r)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var t = (x[i] - centre) / scale;
            double p = 1;
            for (var k = 0; k < 5; k++)
            {
                m[k] += p;
                if (k < 3) r[k] += p * y[i];
                p *= t;
            }
        }
    }

    // Cramer's rule on the symmetric 3×3 system with entries m[i + j] and right-hand side r.
    private static bool Solve3(ReadOnlySpan<double> m, ReadOnlySpan<double> r, out double a, out double b, out double c)
    {
        double Det(double a11, double a12, double a13, double a21, double a22, double a23, double a31, double a32, double a33) =>
            a11 * (a22 * a33 - a23 * a32) - a12 * (a21 * a33 - a23 * a31) + a13 * (a21 * a32 - a22 * a31);
        var d = Det(m[0], m[1], m[2], m[1], m[2], m[3], m[2], m[3], m[4]);
        a = b = c = double.NaN;
        if (Math.Abs(d) < 1e-12) return false;
        a = Det(r[0], m[1], m[2], r[1], m[2], m[3], r[2], m[3], m[4]) / d;
        b = Det(m[0], r[0], m[2], m[1], r[1], m[3], m[2], r[2], m[4]) / d;
        c = Det(m[0], m[1], r[0], m[1], m[2], r[1], m[2], m[3], r[2]) / d;
        return true;
    }
}
