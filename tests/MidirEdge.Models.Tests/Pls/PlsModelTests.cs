using MathNet.Numerics.LinearAlgebra;
using MidirEdge.Models.Pls;

namespace MidirEdge.Models.Tests.Pls;

/// <summary>Properties of fitted models that the R references do not cover: scaling, several responses, prediction paths, bad input.</summary>
public sealed class PlsModelTests
{
    private static readonly PlsAlgorithm[] Algorithms = [PlsAlgorithm.Kernel, PlsAlgorithm.Simpls, PlsAlgorithm.Nipals];

    /// <summary>Scaling equals fitting on X standardised by hand (sd with n − 1), with coefficients mapped back to original units.</summary>
    [Theory]
    [InlineData(PlsAlgorithm.Kernel)]
    [InlineData(PlsAlgorithm.Simpls)]
    [InlineData(PlsAlgorithm.Nipals)]
    public void Scaled_fit_equals_fit_on_standardised_X(PlsAlgorithm algorithm)
    {
        var data = YamsysData.Instance;
        var x = data.Absorbance;
        var y = data.Values("C");
        int n = x.GetLength(0), p = x.GetLength(1);
        var standardised = new double[n, p];
        var sd = new double[p];
        for (var j = 0; j < p; j++)
        {
            var column = Enumerable.Range(0, n).Select(i => x[i, j]).ToArray();
            var mean = column.Average();
            sd[j] = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / (n - 1));
            for (var i = 0; i < n; i++) standardised[i, j] = x[i, j] / sd[j];
        }

        var scaled = PlsRegression.Fit(x, y, 6, algorithm, scale: true);
        var byHand = PlsRegression.Fit(standardised, y, 6, algorithm);

        Assert.True(scaled.IsScaled);
        Assert.False(byHand.IsScaled);
        for (var j = 0; j < p; j++) Assert.Equal(sd[j], scaled.XScales[j], 1e-12 * sd[j]);
        for (var a = 1; a <= 6; a++)
        {
            var expected = byHand.Coefficients(a, 0).ToArray().Select((b, j) => b / sd[j]).ToArray();
            AssertClose(expected, scaled.Coefficients(a, 0), 1e-9);
            var row = PlsReferenceTests.Row(x, 7);
            Assert.Equal(byHand.Predict(PlsReferenceTests.Row(standardised, 7), a)[0], scaled.Predict(row, a)[0], 1e-9);
        }
    }

    /// <summary>With as many components as predictors every algorithm reduces to least squares, for several responses at once.</summary>
    [Fact]
    public void Full_rank_multi_response_fit_is_least_squares_for_every_algorithm()
    {
        var random = new Random(11);
        int n = 12, p = 4, m = 3;
        var x = new double[n, p];
        var y = new double[n, m];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++) x[i, j] = random.NextDouble();
            for (var k = 0; k < m; k++) y[i, k] = (k + 1) * x[i, k % p] - x[i, 3] + 0.1 * random.NextDouble() + k;
        }
        // Least squares with an intercept column.
        var design = Matrix<double>.Build.Dense(n, p + 1, (i, j) => j == 0 ? 1 : x[i, j - 1]);
        var ols = design.QR().Solve(Matrix<double>.Build.DenseOfArray(y));

        foreach (var algorithm in Algorithms)
        {
            var model = PlsRegression.Fit(x, y, p, algorithm);
            var b = model.Coefficients(p);
            for (var k = 0; k < m; k++)
            {
                Assert.Equal(ols[0, k], model.Intercepts(p)[k], 1e-9);
                for (var j = 0; j < p; j++) Assert.Equal(ols[j + 1, k], b[j, k], 1e-9);
            }
        }
    }

    /// <summary>Kernel PLS2 and NIPALS PLS2 extract the same components (the eigenvector and power-iteration routes to one model).</summary>
    [Fact]
    public void Kernel_and_nipals_agree_for_two_responses()
    {
        var data = YamsysData.Instance;
        var y = new double[data.Rows.Length, 2];
        var c = data.Values("C");
        var k = data.Values("ex_K");
        for (var i = 0; i < c.Length; i++) (y[i, 0], y[i, 1]) = (c[i], k[i]);

        var kernel = PlsRegression.Fit(data.Absorbance, y, 8);
        var nipals = PlsRegression.Fit(data.Absorbance, y, 8, PlsAlgorithm.Nipals);
        Assert.Equal(2, kernel.Responses);
        for (var a = 1; a <= 8; a++)
            for (var r = 0; r < 2; r++)
                AssertClose(kernel.Coefficients(a, r).ToArray(), nipals.Coefficients(a, r), 1e-6);
    }

    /// <summary>A single-column Y matrix gives the same model as the one-response overload.</summary>
    [Fact]
    public void One_column_matrix_equals_vector_response()
    {
        var data = YamsysData.Instance;
        var y = data.Values("C");
        var column = new double[y.Length, 1];
        for (var i = 0; i < y.Length; i++) column[i, 0] = y[i];
        foreach (var algorithm in Algorithms)
        {
            var a = PlsRegression.Fit(data.Absorbance, y, 5, algorithm);
            var b = PlsRegression.Fit(data.Absorbance, column, 5, algorithm);
            Assert.Equal(a.Coefficients(5, 0).ToArray(), b.Coefficients(5, 0).ToArray());
        }
    }

    /// <summary>Batch, array and span predictions agree, and the span path allocates nothing.</summary>
    [Fact]
    public void Prediction_paths_agree_and_span_prediction_does_not_allocate()
    {
        var data = YamsysData.Instance;
        var model = PlsRegression.Fit(data.Absorbance, data.Values("C"), 10);
        var batch = model.Predict(data.Absorbance, 7);
        var spectrum = PlsReferenceTests.Row(data.Absorbance, 3);
        Assert.Equal(batch[3, 0], model.Predict(spectrum, 7)[0]);

        var destination = new double[1];
        model.Predict(spectrum, destination);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) model.Predict(spectrum, destination);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(model.Predict(spectrum)[0], destination[0]);

        var b = model.Coefficients(10, 0);
        var expected = model.Intercepts(10)[0];
        for (var j = 0; j < b.Length; j++) expected += b[j] * spectrum[j];
        Assert.Equal(expected, destination[0], 1e-10 * Math.Abs(expected));
    }

    /// <summary>A model is immutable: concurrent predictions from many threads equal sequential ones.</summary>
    [Fact]
    public void Concurrent_predictions_equal_sequential_ones()
    {
        var data = YamsysData.Instance;
        var model = PlsRegression.Fit(data.Absorbance, data.Values("C"), 10, PlsAlgorithm.Nipals);
        var sequential = model.Predict(data.Absorbance);
        var concurrent = new double[sequential.GetLength(0)];
        Parallel.For(0, concurrent.Length, i =>
        {
            Span<double> result = stackalloc double[1];
            model.Predict(PlsReferenceTests.Row(data.Absorbance, i), result);
            concurrent[i] = result[0];
        });
        for (var i = 0; i < concurrent.Length; i++) Assert.Equal(sequential[i, 0], concurrent[i]);
    }

    /// <summary>Every projection/loading matrix has the documented shape, and coefficients are R·Qᵀ.</summary>
    [Fact]
    public void Factor_matrices_rebuild_the_coefficients()
    {
        var data = YamsysData.Instance;
        var model = PlsRegression.Fit(data.Absorbance, data.Values("C"), 4, PlsAlgorithm.Simpls);
        var r = model.Projection();
        var q = model.YLoadings();
        Assert.Equal((1716, 4), (r.GetLength(0), r.GetLength(1)));
        Assert.Equal((1716, 4), (model.XLoadings().GetLength(0), model.XLoadings().GetLength(1)));
        Assert.Equal((1, 4), (q.GetLength(0), q.GetLength(1)));
        var rebuilt = Enumerable.Range(0, 1716).Select(j => Enumerable.Range(0, 4).Sum(a => r[j, a] * q[0, a])).ToArray();
        AssertClose(rebuilt, model.Coefficients(4, 0), 1e-12);
    }

    /// <summary>Bad arguments end in one ArgumentException-family error with a clear message.</summary>
    [Fact]
    public void Bad_input_throws_argument_exceptions()
    {
        var x = new double[,] { { 1, 2 }, { 2, 1 }, { 3, 5 }, { 4, 4 } };
        double[] y = [1, 2, 3, 5];
        Assert.Throws<ArgumentOutOfRangeException>(() => PlsRegression.Fit(x, y, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlsRegression.Fit(x, y, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlsRegression.Fit(x, y, 1, (PlsAlgorithm)42));
        Assert.Throws<ArgumentException>(() => PlsRegression.Fit(x, [1.0, 2, 3], 1));
        Assert.Throws<ArgumentException>(() => PlsRegression.Fit(x, [1.0, double.NaN, 3, 4], 1));
        Assert.Throws<ArgumentException>(() => PlsRegression.Fit(x, [5.0, 5, 5, 5], 1));
        Assert.Throws<ArgumentException>(() => PlsRegression.Fit(new double[,] { { 1, 2 }, { 1, 1 }, { 1, 5 } }, [1.0, 2, 3], 1, scale: true));
        Assert.Throws<ArgumentNullException>(() => PlsRegression.Fit((double[,])null!, y, 1));

        var model = PlsRegression.Fit(x, y, 2);
        Assert.Throws<ArgumentException>(() => model.Predict(new double[3]));
        Assert.Throws<ArgumentException>(() => model.Predict(new double[2], Span<double>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict(new double[2], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Coefficients(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Intercepts(0));
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<double> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * scale, $"[{i}] expected {expected[i]:R}, got {actual[i]:R}");
    }
}
