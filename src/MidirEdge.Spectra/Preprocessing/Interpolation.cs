namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Interpolation of sampled data (x strictly increasing) onto other x values.</summary>
public static class Interpolation
{
    /// <summary>
    /// Piecewise-linear interpolation as NumPy's <c>interp</c>: outside the data the end values are held.
    /// </summary>
    public static void Linear(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> at, Span<double> result)
    {
        RequireData(x, y, at, result, minimum: 1);
        var n = x.Length;
        var j = 0;
        for (var k = 0; k < at.Length; k++)
        {
            var t = at[k];
            if (t <= x[0]) { result[k] = y[0]; continue; }
            if (t >= x[n - 1]) { result[k] = y[n - 1]; continue; }
            j = Interval(x, t, j);
            var slope = (y[j + 1] - y[j]) / (x[j + 1] - x[j]);
            result[k] = slope * (t - x[j]) + y[j];
        }
    }

    /// <summary>
    /// Cubic spline with not-a-knot ends, as SciPy's <c>CubicSpline</c>; outside the data the end cubics are extended.
    /// </summary>
    /// <param name="x">Strictly increasing sample positions (at least two).</param>
    /// <param name="y">Sample values.</param>
    /// <param name="at">Where to evaluate.</param>
    /// <param name="result">Receives one value per <paramref name="at"/>.</param>
    /// <param name="workspace">Scratch of at least 2 × <paramref name="x"/>.Length elements, so batches need not allocate.</param>
    public static void CubicNotAKnot(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> at, Span<double> result, Span<double> workspace)
    {
        RequireData(x, y, at, result, minimum: 2);
        var n = x.Length;
        if (workspace.Length < 2 * n)
            throw new ArgumentException($"workspace needs {2 * n} elements, has {workspace.Length}.", nameof(workspace));
        var s = workspace[..n];
        SolveSlopes(x, y, s, workspace.Slice(n, n));
        var j = 0;
        for (var k = 0; k < at.Length; k++)
        {
            var t = at[k];
            j = t <= x[0] ? 0 : t >= x[n - 1] ? n - 2 : Interval(x, t, j);
            var dx = x[j + 1] - x[j];
            var slope = (y[j + 1] - y[j]) / dx;
            var c = (s[j] + s[j + 1] - 2 * slope) / dx;
            var c0 = c / dx;
            var c1 = (slope - s[j]) / dx - c;
            var d = t - x[j];
            result[k] = ((c0 * d + c1) * d + s[j]) * d + y[j];
        }
    }

    /// <summary>Cubic not-a-knot spline interpolation that allocates its own workspace.</summary>
    public static void CubicNotAKnot(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> at, Span<double> result) =>
        CubicNotAKnot(x, y, at, result, new double[2 * x.Length]);

    /// <summary>Solves for the spline's first derivative at each knot (SciPy's formulation, tridiagonal by Thomas).</summary>
    private static void SolveSlopes(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> s, Span<double> upper)
    {
        var n = x.Length;
        static double Dx(ReadOnlySpan<double> xs, int i) => xs[i + 1] - xs[i];
        static double Slope(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, int i) => (ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]);
        if (n == 2)
        {
            s[0] = s[1] = Slope(x, y, 0);
            return;
        }
        if (n == 3)
        {
            // Not-a-knot on three points is the interpolating parabola.
            double m0 = Slope(x, y, 0), m1 = Slope(x, y, 1), d0 = Dx(x, 0), d1 = Dx(x, 1);
            s[1] = (d0 * m1 + d1 * m0) / (d0 + d1);
            s[0] = 2 * m0 - s[1];
            s[2] = 2 * m1 - s[1];
            return;
        }

        // Row i: lower[i] s[i-1] + diag[i] s[i] + up[i] s[i+1] = rhs[i]; forward sweep keeps up'[i] in `upper`, rhs' in `s`.
        double lower, diag, up, rhs;
        for (var i = 0; i < n; i++)
        {
            if (i == 0)
            {
                var d = x[2] - x[0];
                (lower, diag, up) = (0, Dx(x, 1), d);
                rhs = ((Dx(x, 0) + 2 * d) * Dx(x, 1) * Slope(x, y, 0) + Dx(x, 0) * Dx(x, 0) * Slope(x, y, 1)) / d;
            }
            else if (i == n - 1)
            {
                var d = x[n - 1] - x[n - 3];
                (lower, diag, up) = (d, Dx(x, n - 3), 0);
                rhs = (Dx(x, n - 2) * Dx(x, n - 2) * Slope(x, y, n - 3) + (2 * d + Dx(x, n - 2)) * Dx(x, n - 3) * Slope(x, y, n - 2)) / d;
            }
            else
            {
                (lower, diag, up) = (Dx(x, i), 2 * (Dx(x, i - 1) + Dx(x, i)), Dx(x, i - 1));
                rhs = 3 * (Dx(x, i) * Slope(x, y, i - 1) + Dx(x, i - 1) * Slope(x, y, i));
            }
            if (i > 0)
            {
                diag -= lower * upper[i - 1];
                rhs -= lower * s[i - 1];
            }
            upper[i] = up / diag;
            s[i] = rhs / diag;
        }
        for (var i = n - 2; i >= 0; i--) s[i] -= upper[i] * s[i + 1];
    }

    /// <summary>
    /// Index j with x[j] ≤ t &lt; x[j+1] (clamped to a valid interval). The interval of the previous point is tried first and
    /// a few neighbours either way, so a grid in either order (model grids are often in descending wavenumber) costs a
    /// step per point; anything farther is a binary search.
    /// </summary>
    private static int Interval(ReadOnlySpan<double> x, double t, int hint)
    {
        const int Steps = 4;
        var last = x.Length - 2;
        hint = Math.Clamp(hint, 0, last);
        for (var step = 0; step < Steps; step++)
        {
            if (t < x[hint])
            {
                if (hint == 0) return 0;
                hint--;
            }
            else if (hint < last && t >= x[hint + 1]) hint++;
            else return hint;
        }
        var index = x.BinarySearch(t);
        if (index < 0) index = ~index - 1;
        return Math.Clamp(index, 0, last);
    }

    private static void RequireData(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> at, Span<double> result, int minimum)
    {
        if (x.Length != y.Length) throw new ArgumentException($"x has {x.Length} values but y has {y.Length}.", nameof(y));
        if (at.Length != result.Length) throw new ArgumentException($"result has {result.Length} elements for {at.Length} positions.", nameof(result));
        if (x.Length < minimum) throw new ArgumentException($"interpolation needs at least {minimum} points, got {x.Length}.", nameof(x));
        for (var i = 1; i < x.Length; i++)
            if (!(x[i] > x[i - 1])) throw new ArgumentException($"x must be strictly increasing; x[{i}] = {x[i]} follows {x[i - 1]}.", nameof(x));
    }
}
