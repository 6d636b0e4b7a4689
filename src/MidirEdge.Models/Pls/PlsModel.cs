using MathNet.Numerics.LinearAlgebra;
using Simd = System.Numerics.Vector<double>;

namespace MidirEdge.Models.Pls;

/// <summary>An immutable, thread-safe fitted PLS regression model with coefficients for every number of components 1…<see cref="Components"/>.</summary>
/// <remarks>Prediction with a components: ŷ = intercept(a) + x·B(a), B(a) in the original X units, intercept(a) = mean(Y) − mean(X)·B(a) (as R pls).</remarks>
public sealed class PlsModel
{
    private readonly double[] _xMeans;
    private readonly double[] _xScales;
    private readonly double[] _yMeans;
    // _coefficients[a - 1][response * Predictors + predictor]: one contiguous vector per response, so prediction is a dot product.
    private readonly double[][] _coefficients;
    private readonly double[][] _intercepts;
    private readonly Matrix<double> _projection;
    private readonly Matrix<double> _xLoadings;
    private readonly Matrix<double> _yLoadings;

    internal PlsModel(PlsAlgorithm algorithm, double[] xMeans, double[]? xScales, double[] yMeans, PlsFactors factors)
    {
        Algorithm = algorithm;
        IsScaled = xScales is not null;
        _xMeans = xMeans;
        _xScales = xScales ?? Enumerable.Repeat(1.0, xMeans.Length).ToArray();
        _yMeans = yMeans;
        _projection = factors.Projection;
        _xLoadings = factors.XLoadings;
        _yLoadings = factors.YLoadings;
        Components = _projection.ColumnCount;
        (_coefficients, _intercepts) = BuildCoefficients();
    }

    /// <summary>The algorithm that extracted the components.</summary>
    public PlsAlgorithm Algorithm { get; }

    /// <summary>The largest number of components the model holds.</summary>
    public int Components { get; }

    /// <summary>Number of predictors (X columns, e.g. wavenumbers).</summary>
    public int Predictors => _xMeans.Length;

    /// <summary>Number of responses (Y columns).</summary>
    public int Responses => _yMeans.Length;

    /// <summary>True when X was scaled to unit variance before extracting components.</summary>
    public bool IsScaled { get; }

    /// <summary>Column means of the training X.</summary>
    public ReadOnlySpan<double> XMeans => _xMeans;

    /// <summary>Column standard deviations (n − 1) X was divided by; all ones when <see cref="IsScaled"/> is false.</summary>
    public ReadOnlySpan<double> XScales => _xScales;

    /// <summary>Column means of the training Y.</summary>
    public ReadOnlySpan<double> YMeans => _yMeans;

    /// <summary>Regression coefficients (predictors × responses, original X units) of the model with <paramref name="components"/> components.</summary>
    public double[,] Coefficients(int components)
    {
        var b = _coefficients[CheckComponents(components) - 1];
        var result = new double[Predictors, Responses];
        for (var j = 0; j < Responses; j++)
            for (var i = 0; i < Predictors; i++)
                result[i, j] = b[j * Predictors + i];
        return result;
    }

    /// <summary>Regression coefficients of one response (one per predictor) of the model with <paramref name="components"/> components.</summary>
    public ReadOnlySpan<double> Coefficients(int components, int response)
    {
        var b = _coefficients[CheckComponents(components) - 1];
        CheckResponse(response);
        return b.AsSpan(response * Predictors, Predictors);
    }

    /// <summary>Intercepts (one per response) of the model with <paramref name="components"/> components.</summary>
    public ReadOnlySpan<double> Intercepts(int components) => _intercepts[CheckComponents(components) - 1];

    /// <summary>Projection R (predictors × components): scores = ((x − mean) / scale)·R.</summary>
    public double[,] Projection() => _projection.ToArray();

    /// <summary>X loadings P (predictors × components), as R pls defines them for the algorithm.</summary>
    public double[,] XLoadings() => _xLoadings.ToArray();

    /// <summary>Y loadings Q (responses × components); the scaled-X coefficients with a components are R(:, 1..a)·Q(:, 1..a)ᵀ.</summary>
    public double[,] YLoadings() => _yLoadings.ToArray();

    /// <summary>Predicts the responses of one observation (e.g. one spectrum) with <paramref name="components"/> components (default: all).</summary>
    public double[] Predict(ReadOnlySpan<double> x, int? components = null)
    {
        var result = new double[Responses];
        Predict(x, result, components);
        return result;
    }

    /// <summary>Predicts the responses of one observation into <paramref name="destination"/> without allocating.</summary>
    public void Predict(ReadOnlySpan<double> x, Span<double> destination, int? components = null)
    {
        var a = CheckComponents(components ?? Components);
        if (x.Length != Predictors)
            throw new ArgumentException($"The observation has {x.Length} values but the model has {Predictors} predictors.", nameof(x));
        if (destination.Length < Responses)
            throw new ArgumentException($"The destination holds {destination.Length} values but the model has {Responses} responses.", nameof(destination));
        var b = _coefficients[a - 1];
        var intercepts = _intercepts[a - 1];
        for (var j = 0; j < Responses; j++)
            destination[j] = intercepts[j] + Dot(x, b.AsSpan(j * Predictors, Predictors));
    }

    /// <summary>Predicts a batch (observations × predictors), returning observations × responses.</summary>
    public double[,] Predict(double[,] x, int? components = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        var a = CheckComponents(components ?? Components);
        if (x.GetLength(1) != Predictors)
            throw new ArgumentException($"X has {x.GetLength(1)} columns but the model has {Predictors} predictors.", nameof(x));
        var rows = x.GetLength(0);
        var result = new double[rows, Responses];
        var row = new double[Predictors];
        var prediction = new double[Responses];
        for (var i = 0; i < rows; i++)
        {
            for (var k = 0; k < Predictors; k++) row[k] = x[i, k];
            Predict(row, prediction, a);
            for (var j = 0; j < Responses; j++) result[i, j] = prediction[j];
        }
        return result;
    }

    private (double[][] Coefficients, double[][] Intercepts) BuildCoefficients()
    {
        int p = Predictors, m = Responses;
        var coefficients = new double[Components][];
        var intercepts = new double[Components][];
        // Coefficients on the scaled X accumulate one component at a time: B(a) = B(a−1) + r_a q_aᵀ.
        var scaled = new double[m * p];
        for (var a = 0; a < Components; a++)
        {
            var b = new double[m * p];
            var b0 = new double[m];
            for (var j = 0; j < m; j++)
            {
                var q = _yLoadings[j, a];
                var meanDotB = 0.0;
                for (var i = 0; i < p; i++)
                {
                    var k = j * p + i;
                    scaled[k] += _projection[i, a] * q;
                    b[k] = scaled[k] / _xScales[i];
                    meanDotB += _xMeans[i] * b[k];
                }
                b0[j] = _yMeans[j] - meanDotB;
            }
            coefficients[a] = b;
            intercepts[a] = b0;
        }
        return (coefficients, intercepts);
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var sum = Simd.Zero;
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = Simd.Count;
            for (; i <= x.Length - width; i += width)
                sum += new Simd(x.Slice(i, width)) * new Simd(y.Slice(i, width));
        }
        var total = System.Numerics.Vector.Sum(sum);
        for (; i < x.Length; i++) total += x[i] * y[i];
        return total;
    }

    private int CheckComponents(int components)
    {
        if (components < 1 || components > Components)
            throw new ArgumentOutOfRangeException(nameof(components), components, $"The model has 1 to {Components} components.");
        return components;
    }

    private void CheckResponse(int response)
    {
        if (response < 0 || response >= Responses)
            throw new ArgumentOutOfRangeException(nameof(response), response, $"The model has {Responses} response(s).");
    }
}
