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
        EnsureFinite(x, nameof(x));
        EnsureFinite(y, nameof(y));

        var xMeans = ColumnMeans(x);
        var yMeans = ColumnMeans(y);
        var xScales = scale ? ColumnStandardDeviations(x, xMeans) : null;
        var xc = Centred(x, xMeans, xScales);
        var yc = Centred(y, yMeans, null);

        var factors = PlsAlgorithms.Fit(algorithm, xc, yc, components);
        return new PlsModel(algorithm, xMeans, xScales, yMeans, factors);
    }

    private static void EnsureFinite(Matrix<double> matrix, string parameter)
    {
        for (var j = 0; j < matrix.ColumnCount; j++)
            for (var i = 0; i < matrix.RowCount; i++)
                if (!double.IsFinite(matrix[i, j]))
                    throw new ArgumentException($"Value at row {i}, column {j} is not finite ({matrix[i, j]}); PLS needs complete data.", parameter);
    }

    private static double[] ColumnMeans(Matrix<double> matrix)
    {
        var means = new double[matrix.ColumnCount];
        for (var j = 0; j < means.Length; j++)
        {
            var sum = 0.0;
            for (var i = 0; i < matrix.RowCount; i++) sum += matrix[i, j];
            means[j] = sum / matrix.RowCount;
        }
        return means;
    }

    private static double[] ColumnStandardDeviations(Matrix<double> x, double[] means)
    {
        var sd = new double[x.ColumnCount];
        for (var j = 0; j < sd.Length; j++)
        {
            var sum = 0.0;
            for (var i = 0; i < x.RowCount; i++)
            {
                var d = x[i, j] - means[j];
                sum += d * d;
            }
            sd[j] = Math.Sqrt(sum / (x.RowCount - 1));
            if (!(sd[j] > 0))
                throw new ArgumentException($"Predictor column {j} is constant and cannot be scaled to unit variance.", nameof(x));
        }
        return sd;
    }

    private static Matrix<double> Centred(Matrix<double> matrix, double[] means, double[]? scales)
    {
        var centred = Matrix<double>.Build.Dense(matrix.RowCount, matrix.ColumnCount);
        for (var j = 0; j < matrix.ColumnCount; j++)
        {
            var s = scales?[j] ?? 1.0;
            for (var i = 0; i < matrix.RowCount; i++)
                centred[i, j] = (matrix[i, j] - means[j]) / s;
        }
        return centred;
    }
}
