using MathNet.Numerics.LinearAlgebra;

namespace MidirEdge.Models.Building;

/// <summary>Least squares with every coefficient ≥ 0 and no intercept, for stacking a few candidate models.</summary>
internal static class NonNegativeLeastSquares
{
    /// <summary>Most columns solved; every subset of them is tried.</summary>
    public const int MaxColumns = 10;

    /// <summary>
    /// The w ≥ 0 minimising ‖y − Xw‖². MathNet has no NNLS; with at most <see cref="MaxColumns"/> columns the exact answer is
    /// the best of the unconstrained least-squares fits on every subset of columns whose coefficients are all positive.
    /// </summary>
    /// <param name="x">Rows × columns.</param>
    /// <param name="y">One value per row.</param>
    public static double[] Solve(double[][] x, double[] y)
    {
        var columns = x[0].Length;
        if (columns > MaxColumns) throw new ArgumentException($"at most {MaxColumns} columns are supported; got {columns}.", nameof(x));
        var best = new double[columns];
        var bestSse = y.Sum(v => v * v);
        var target = Vector<double>.Build.DenseOfArray(y);
        for (var subset = 1; subset < 1 << columns; subset++)
        {
            var chosen = Enumerable.Range(0, columns).Where(c => (subset >> c & 1) == 1).ToArray();
            var matrix = Matrix<double>.Build.Dense(x.Length, chosen.Length, (i, j) => x[i][chosen[j]]);
            Vector<double> w;
            try
            {
                w = matrix.QR().Solve(target);
            }
            catch (ArgumentException)
            {
                continue; // rank-deficient subset: a smaller one covers it
            }
            if (w.Any(v => !(v > 0))) continue;
            var sse = (target - matrix * w).DotProduct(target - matrix * w);
            if (sse >= bestSse) continue;
            bestSse = sse;
            Array.Clear(best);
            for (var j = 0; j < chosen.Length; j++) best[chosen[j]] = w[j];
        }
        return best;
    }
}
