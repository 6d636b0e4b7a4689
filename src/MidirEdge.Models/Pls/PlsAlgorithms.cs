using MathNet.Numerics.LinearAlgebra;

namespace MidirEdge.Models.Pls;

/// <summary>The three component-extraction algorithms, working on centred (and possibly scaled) X and centred Y.</summary>
/// <remarks>Each follows the corresponding R pls 2.8 fit function step by step so that results agree to round-off.</remarks>
internal static class PlsAlgorithms
{
    /// <summary>Convergence tolerance of the multi-response NIPALS inner loop (R: sqrt of machine epsilon).</summary>
    private static readonly double NipalsTolerance = Math.Sqrt(Math.Pow(2, -52));

    private const int NipalsMaxIterations = 10_000;

    /// <summary>Extracts the components; <paramref name="x"/> and <paramref name="y"/> must be dense centred copies, which NIPALS deflates in place.</summary>
    public static PlsFactors Fit(PlsAlgorithm algorithm, Matrix<double> x, Matrix<double> y, int components) => algorithm switch
    {
        PlsAlgorithm.Kernel => Kernel(x, y, components),
        PlsAlgorithm.Simpls => Simpls(x, y, components),
        PlsAlgorithm.Nipals => Nipals(x, y, components),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown PLS algorithm."),
    };

    /// <summary>Improved kernel algorithm #1 (Dayal &amp; MacGregor 1997): deflates only XᵀY.</summary>
    private static PlsFactors Kernel(Matrix<double> x, Matrix<double> y, int components)
    {
        int p = x.ColumnCount, m = y.ColumnCount;
        var projection = Matrix<double>.Build.Dense(p, components);
        var loadings = Matrix<double>.Build.Dense(p, components);
        var yLoadings = Matrix<double>.Build.Dense(m, components);
        var xty = CrossProduct(x, y);

        for (var a = 0; a < components; a++)
        {
            Vector<double> w;
            if (m == 1)
            {
                w = xty.Column(0);
            }
            else if (m < p)
            {
                w = xty * DominantEigenvector(xty.TransposeThisAndMultiply(xty));
            }
            else
            {
                w = DominantEigenvector(xty.TransposeAndMultiply(xty));
            }
            w = Normalised(w, a);

            // r = w − Σ_j (p_jᵀw) r_j over earlier components, in place on the column-major storage.
            var r = w.Clone();
            var rValues = ColumnMajor(r);
            var wValues = ColumnMajor(w);
            for (var j = 0; j < a; j++)
            {
                var pj = ColumnMajor(loadings).AsSpan(j * p, p);
                var rj = ColumnMajor(projection).AsSpan(j * p, p);
                var pw = 0.0;
                for (var i = 0; i < p; i++) pw += pj[i] * wValues[i];
                for (var i = 0; i < p; i++) rValues[i] -= rj[i] * pw;
            }

            var t = Times(x, r);
            var tsq = t.DotProduct(t);
            CheckComponent(tsq, a);
            var pa = TransposeTimes(x, t) / tsq;
            var qa = xty.TransposeThisAndMultiply(r) / tsq;
            xty -= (pa * tsq).OuterProduct(qa);

            projection.SetColumn(a, r);
            loadings.SetColumn(a, pa);
            yLoadings.SetColumn(a, qa);
        }
        return new PlsFactors(projection, loadings, yLoadings);
    }

    /// <summary>SIMPLS (de Jong 1993): deflates the cross-product S = XᵀY by an orthonormal basis of the X loadings.</summary>
    private static PlsFactors Simpls(Matrix<double> x, Matrix<double> y, int components)
    {
        int p = x.ColumnCount, m = y.ColumnCount;
        var projection = Matrix<double>.Build.Dense(p, components);
        var loadings = Matrix<double>.Build.Dense(p, components);
        var yLoadings = Matrix<double>.Build.Dense(m, components);
        var basis = Matrix<double>.Build.Dense(p, components);
        var s = CrossProduct(x, y);

        for (var a = 0; a < components; a++)
        {
            Vector<double> r;
            if (m == 1)
            {
                r = s.Column(0);
            }
            else if (m < p)
            {
                r = s * DominantEigenvector(s.TransposeThisAndMultiply(s));
            }
            else
            {
                var q = Normalised(s.TransposeThisAndMultiply(DominantEigenvector(s.TransposeAndMultiply(s))), a);
                r = s * q;
            }

            var t = Times(x, r);
            t -= t.Sum() / t.Count;
            var tnorm = Math.Sqrt(t.DotProduct(t));
            CheckComponent(tnorm, a);
            t /= tnorm;
            r /= tnorm;
            var pa = TransposeTimes(x, t);
            var qa = y.TransposeThisAndMultiply(t);
            var v = pa.Clone();
            if (a > 0)
            {
                var previous = basis.SubMatrix(0, p, 0, a);
                v -= previous * previous.TransposeThisAndMultiply(pa);
            }
            v = Normalised(v, a);
            s -= v.OuterProduct(s.TransposeThisAndMultiply(v));

            projection.SetColumn(a, r);
            loadings.SetColumn(a, pa);
            yLoadings.SetColumn(a, qa);
            basis.SetColumn(a, v);
        }
        return new PlsFactors(projection, loadings, yLoadings);
    }

    /// <summary>NIPALS with orthogonal scores (Martens &amp; Næs): deflates X and Y; projection R = W (PᵀW)⁻¹.</summary>
    private static PlsFactors Nipals(Matrix<double> x, Matrix<double> y, int components)
    {
        int p = x.ColumnCount, m = y.ColumnCount;
        var weights = Matrix<double>.Build.Dense(p, components);
        var loadings = Matrix<double>.Build.Dense(p, components);
        var yLoadings = Matrix<double>.Build.Dense(m, components);

        for (var a = 0; a < components; a++)
        {
            var u = y.Column(m == 1 ? 0 : ColumnWithLargestSumOfSquares(y));
            Vector<double>? previousScores = null;
            Vector<double> w, t, tOverTsq, qa;
            for (var iteration = 0; ; iteration++)
            {
                w = Normalised(TransposeTimes(x, u), a);
                t = Times(x, w);
                var tsq = t.DotProduct(t);
                CheckComponent(tsq, a);
                tOverTsq = t / tsq;
                qa = y.TransposeThisAndMultiply(tOverTsq);
                if (m == 1 || (previousScores is not null && RelativeChange(t, previousScores) < NipalsTolerance))
                    break;
                if (iteration == NipalsMaxIterations)
                    throw new InvalidOperationException($"NIPALS did not converge for component {a + 1} within {NipalsMaxIterations} iterations.");
                u = y * qa / qa.DotProduct(qa);
                previousScores = t;
            }

            var pa = TransposeTimes(x, tOverTsq);
            SubtractOuterProduct(x, t, pa);
            SubtractOuterProduct(y, t, qa);
            weights.SetColumn(a, w);
            loadings.SetColumn(a, pa);
            yLoadings.SetColumn(a, qa);
        }

        var projection = components == 1 ? weights : weights * InverseUpperTriangular(loadings.TransposeThisAndMultiply(weights));
        return new PlsFactors(projection, loadings, yLoadings);
    }

    /// <summary>XᵀY, one response column at a time.</summary>
    private static Matrix<double> CrossProduct(Matrix<double> x, Matrix<double> y)
    {
        var result = Matrix<double>.Build.Dense(x.ColumnCount, y.ColumnCount);
        for (var k = 0; k < y.ColumnCount; k++) result.SetColumn(k, TransposeTimes(x, y.Column(k)));
        return result;
    }

    /// <summary>X·v, accumulated column by column over the column-major storage (no transposed copy of X).</summary>
    private static Vector<double> Times(Matrix<double> x, Vector<double> v)
    {
        var values = ColumnMajor(x);
        int n = x.RowCount;
        var result = new double[n];
        for (var j = 0; j < x.ColumnCount; j++)
        {
            var column = values.AsSpan(j * n, n);
            var vj = v[j];
            for (var i = 0; i < n; i++) result[i] += column[i] * vj;
        }
        return Vector<double>.Build.Dense(result);
    }

    /// <summary>Xᵀ·v as one dot product per contiguous column of X.</summary>
    private static Vector<double> TransposeTimes(Matrix<double> x, Vector<double> v)
    {
        var values = ColumnMajor(x);
        int n = x.RowCount;
        var dense = ColumnMajor(v);
        var result = new double[x.ColumnCount];
        for (var j = 0; j < result.Length; j++)
        {
            var column = values.AsSpan(j * n, n);
            var sum = 0.0;
            for (var i = 0; i < n; i++) sum += column[i] * dense[i];
            result[j] = sum;
        }
        return Vector<double>.Build.Dense(result);
    }

    /// <summary>X ← X − t·pᵀ in place.</summary>
    private static void SubtractOuterProduct(Matrix<double> x, Vector<double> t, Vector<double> p)
    {
        var values = ColumnMajor(x);
        int n = x.RowCount;
        var dense = ColumnMajor(t);
        for (var j = 0; j < x.ColumnCount; j++)
        {
            var column = values.AsSpan(j * n, n);
            var pj = p[j];
            for (var i = 0; i < n; i++) column[i] -= dense[i] * pj;
        }
    }

    private static double[] ColumnMajor(Matrix<double> x) =>
        x.AsColumnMajorArray() ?? throw new InvalidOperationException("PLS works on dense matrices only.");

    private static double[] ColumnMajor(Vector<double> v) =>
        v.AsArray() ?? throw new InvalidOperationException("PLS works on dense vectors only.");

    /// <summary>Σ |(t − t_old) / t| over rows where the ratio is defined (R's convergence measure).</summary>
    private static double RelativeChange(Vector<double> t, Vector<double> previous)
    {
        var sum = 0.0;
        for (var i = 0; i < t.Count; i++)
        {
            var ratio = Math.Abs((t[i] - previous[i]) / t[i]);
            if (!double.IsNaN(ratio)) sum += ratio;
        }
        return sum;
    }

    private static int ColumnWithLargestSumOfSquares(Matrix<double> y)
    {
        int best = 0;
        var bestSum = double.NegativeInfinity;
        for (var j = 0; j < y.ColumnCount; j++)
        {
            var column = y.Column(j);
            var sum = column.DotProduct(column);
            if (sum > bestSum)
            {
                bestSum = sum;
                best = j;
            }
        }
        return best;
    }

    /// <summary>Inverse of an upper-triangular matrix by back substitution (R: backsolve(PW, I)).</summary>
    private static Matrix<double> InverseUpperTriangular(Matrix<double> u)
    {
        var n = u.RowCount;
        var inverse = Matrix<double>.Build.Dense(n, n);
        for (var col = 0; col < n; col++)
        {
            for (var row = col; row >= 0; row--)
            {
                var sum = row == col ? 1.0 : 0.0;
                for (var k = row + 1; k <= col; k++) sum -= u[row, k] * inverse[k, col];
                inverse[row, col] = sum / u[row, row];
            }
        }
        return inverse;
    }

    /// <summary>Eigenvector of the largest eigenvalue of a symmetric matrix.</summary>
    private static Vector<double> DominantEigenvector(Matrix<double> symmetric)
    {
        var evd = symmetric.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues;
        var best = 0;
        for (var i = 1; i < values.Count; i++)
            if (values[i].Real > values[best].Real) best = i;
        return evd.EigenVectors.Column(best);
    }

    private static Vector<double> Normalised(Vector<double> v, int component)
    {
        var norm = Math.Sqrt(v.DotProduct(v));
        CheckComponent(norm, component);
        return v / norm;
    }

    /// <summary>A zero (or non-finite) norm means X and Y hold no further covariance: fewer components are supported.</summary>
    private static void CheckComponent(double norm, int component)
    {
        if (!(norm > 0) || !double.IsFinite(norm))
            throw new ArgumentException(
                $"The data support only {component} PLS component(s): component {component + 1} has no remaining X–Y covariance.",
                "components");
    }
}
