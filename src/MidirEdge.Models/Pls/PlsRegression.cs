using MathNet.Numerics.LinearAlgebra;

namespace MidirEdge.Models.Pls;

/// <summary>Fits partial least squares regression models (R pls 2.8 definitions: centred X and Y, optional unit-variance scaling of X).</summary>
public static class PlsRegression
{
    /// <summary>Fits a PLS model with one response; <paramref name="x"/> is observations × predictors.</summary>
    public static PlsModel Fit(double[,] x, double[] y, int components, PlsAlgorithm algorithm = PlsAlgorithm.Kernel, bool scale = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Fit(Matrix<double>.Build.DenseOfArray(x), Matrix<double>.Build.DenseOfColumnArrays(y), components, algorithm, scale);
    }

    /// <summary>Fits a PLS model; <paramref name="x"/> is observations × predictors, <paramref name="y"/> observations × responses.</summary>
    public static PlsModel Fit(double[,] x, double[,] y, int components, PlsAlgorithm algorithm = PlsAlgorithm.Kernel, bool scale = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Fit(Matrix<double>.Build.DenseOfArray(x), Matrix<double>.Build.DenseOfArray(y), components, algorithm, scale);
    }

    /// <summary>Fits a PLS model; <paramref name="x"/> is observations × predictors, <paramref name="y"/> observations × responses.</summary>
    /// <remarks>
    /// X and Y are centred on their column means. With <paramref name="scale"/>, each X column is also divided by its
    /// standard deviation (n − 1 denominator); coefficients are nevertheless reported for the original X, so
    /// prediction is always intercept + x·B with intercept = mean(Y) − mean(X)·B.
    /// </remarks>
    public static PlsModel Fit(Matrix<double> x, Matrix<double> y, int components, PlsAlgorithm algorithm = PlsAlgorithm.Kernel, bool scale = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!Enum.IsDefined(algorithm))
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown PLS algorithm.");
        int n = x.RowCount, p = x.ColumnCount, m = y.ColumnCount;
        if (y.RowCount != n)
            throw new ArgumentException($"X has {n} rows but Y has {y.RowCount}.", nameof(y));
        if (n < 2 || p < 1 || m < 1)
            throw new ArgumentException($"PLS needs at least 2 observations, 1 predictor and 1 response (got {n} × {p} and {m} responses).", nameof(x));
        if (components < 1 || components > Math.Min(n - 1, p))
            throw new ArgumentOutOfRangeException(nameof(components), components,
                $"The number of components must be between 1 and min(observations − 1, predictors) = {Math.Min(n - 1, p)}.");
        var xValues = x.AsColumnMajorArray() ?? x.ToColumnMajorArray();
        var yValues = y.AsColumnMajorArray() ?? y.ToColumnMajorArray();
        EnsureFinite(xValues, n, nameof(x));
        EnsureFinite(yValues, n, nameof(y));

        var xMeans = ColumnMeans(xValues, n);
        var yMeans = ColumnMeans(yValues, n);
        var xScales = scale ? ColumnStandardDeviations(xValues, n, xMeans) : null;
        var xc = Centred(xValues, n, xMeans, xScales);
        var yc = Centred(yValues, n, yMeans, null);

        var factors = PlsAlgorithms.Fit(algorithm, xc, yc, components);
        return new PlsModel(algorithm, xMeans, xScales, yMeans, factors);
    }

    private static void EnsureFinite(double[] columnMajor, int rows, string parameter)
    {
        for (var k = 0; k < columnMajor.Length; k++)
            if (!double.IsFinite(columnMajor[k]))
                throw new ArgumentException($"Value at row {k % rows}, column {k / rows} is not finite ({columnMajor[k]}); PLS needs complete data.", parameter);
    }

    private static double[] ColumnMeans(double[] columnMajor, int rows)
    {
        var means = new double[columnMajor.Length / rows];
        for (var j = 0; j < means.Length; j++)
        {
            var sum = 0.0;
            foreach (var v in columnMajor.AsSpan(j * rows, rows)) sum += v;
            means[j] = sum / rows;
        }
        return means;
    }

    private static double[] ColumnStandardDeviations(double[] columnMajor, int rows, double[] means)
    {
        var sd = new double[means.Length];
        for (var j = 0; j < sd.Length; j++)
        {
            var sum = 0.0;
            foreach (var v in columnMajor.AsSpan(j * rows, rows))
            {
                var d = v - means[j];
                sum += d * d;
            }
            sd[j] = Math.Sqrt(sum / (rows - 1));
            if (!(sd[j] > 0))
                throw new ArgumentException($"Predictor column {j} is constant and cannot be scaled to unit variance.", "x");
        }
        return sd;
    }

    /// <summary>A new dense matrix (x − mean) / scale, column by column.</summary>
    private static Matrix<double> Centred(double[] columnMajor, int rows, double[] means, double[]? scales)
    {
        var centred = new double[columnMajor.Length];
        for (var j = 0; j < means.Length; j++)
        {
            var s = scales?[j] ?? 1.0;
            var source = columnMajor.AsSpan(j * rows, rows);
            var target = centred.AsSpan(j * rows, rows);
            for (var i = 0; i < rows; i++) target[i] = (source[i] - means[j]) / s;
        }
        return Matrix<double>.Build.Dense(rows, means.Length, centred);
    }
}
