using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using MidirEdge.Models.Domain;

namespace MidirEdge.Models.Tests.Domain;

public class PcaTests
{
    private static readonly double[][] TwoFeatures =
    [
        [2.5, 2.4], [0.5, 0.7], [2.2, 2.9], [1.9, 2.2], [3.1, 3.0],
        [2.3, 2.7], [2.0, 1.6], [1.0, 1.1], [1.5, 1.6], [1.1, 0.9],
    ];

    private static readonly double[][] Tall =
    [
        [1.0, 2.0, 0.5, 3.0], [2.0, 1.0, 0.0, 2.5], [3.0, 4.0, 1.5, 1.0],
        [0.5, 0.0, 2.0, 2.0], [4.0, 3.5, 1.0, 0.5], [2.5, 2.0, 3.0, 1.5],
    ];

    private static readonly double[][] Wide =
    [
        [1.0, 2.0, 0.5, 3.0, 0.2, 1.1], [2.0, 1.0, 0.0, 2.5, 0.4, 0.9],
        [3.0, 4.0, 1.5, 1.0, 0.1, 1.7], [0.5, 0.0, 2.0, 2.0, 0.8, 0.3],
    ];

    [Fact]
    public void Two_feature_eigenvalues_match_the_closed_form_of_the_covariance()
    {
        var (a, b, c) = Covariance2(TwoFeatures);
        var half = (a + c) / 2;
        var radius = Math.Sqrt((a - c) * (a - c) / 4 + b * b);

        var pca = Pca.Fit(TwoFeatures, 2);

        Assert.Equal(half + radius, pca.Eigenvalues[0], 12);
        Assert.Equal(half - radius, pca.Eigenvalues[1], 12);
        Assert.Equal(a + c, pca.TotalVariance, 12);
        Assert.Equal(1.0, pca.ExplainedVarianceRatio.Sum(), 12);
        // Eigenvector of [[a, b], [b, c]] for the largest eigenvalue is proportional to (b, λ − a).
        var norm = Math.Sqrt(b * b + (half + radius - a) * (half + radius - a));
        Assert.Equal(b / norm, Math.Abs(pca.Loadings[0][0]), 12);
        Assert.Equal((half + radius - a) / norm, Math.Abs(pca.Loadings[0][1]), 12);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Eigenvalues_and_loadings_match_an_eigendecomposition_of_the_covariance(bool wide)
    {
        var rows = wide ? Wide : Tall;
        var covariance = Matrix<double>.Build.DenseOfRowArrays(Covariance(rows));
        var evd = covariance.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, covariance.RowCount).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var components = Math.Min(rows.Length - 1, rows[0].Length); // rank of the centred matrix

        var pca = Pca.Fit(rows, components);

        for (var k = 0; k < components; k++)
        {
            Assert.Equal(evd.EigenValues[order[k]].Real, pca.Eigenvalues[k], 10);
            var vector = evd.EigenVectors.Column(order[k]);
            var sign = Math.Sign(vector.DotProduct(Vector<double>.Build.DenseOfEnumerable(pca.Loadings[k])));
            for (var j = 0; j < vector.Count; j++) Assert.Equal(sign * vector[j], pca.Loadings[k][j], 10);
        }
        Assert.Equal(covariance.Trace(), pca.TotalVariance, 10);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Loadings_are_orthonormal_and_full_rank_scores_reconstruct_the_rows(bool wide)
    {
        var rows = wide ? Wide : Tall;
        var pca = Pca.Fit(rows, Math.Min(rows.Length - 1, rows[0].Length));

        for (var k = 0; k < pca.ComponentCount; k++)
            for (var m = 0; m < pca.ComponentCount; m++)
                Assert.Equal(k == m ? 1.0 : 0.0, pca.Loadings[k].Zip(pca.Loadings[m], (x, y) => x * y).Sum(), 12);

        var scores = pca.Transform(rows);
        var reconstructed = new double[pca.FeatureCount];
        for (var i = 0; i < rows.Length; i++)
        {
            pca.Reconstruct(scores[i], reconstructed);
            for (var j = 0; j < reconstructed.Length; j++) Assert.Equal(rows[i][j], reconstructed[j], 12);
        }
        for (var k = 0; k < pca.ComponentCount; k++)
        {
            var column = scores.Select(s => s[k]).ToArray();
            Assert.Equal(0.0, column.Average(), 12);
            Assert.Equal(pca.Eigenvalues[k], column.Sum(t => t * t) / (rows.Length - 1), 12);
        }
    }

    [Fact]
    public void Scaled_pca_decomposes_the_correlation_matrix()
    {
        var pca = Pca.Fit(Tall, 4, scale: true);

        var sd = Enumerable.Range(0, 4).Select(j => Math.Sqrt(Covariance(Tall)[j][j])).ToArray();
        Assert.Equal(sd, pca.Scale!, new ToleranceComparer(1e-12));
        Assert.Equal(4.0, pca.TotalVariance, 12); // trace of a correlation matrix
        var correlation = Matrix<double>.Build.Dense(4, 4, (i, j) => Covariance(Tall)[i][j] / (sd[i] * sd[j]));
        var expected = correlation.Evd(Symmetricity.Symmetric).EigenValues.Select(v => v.Real).OrderDescending().ToArray();
        Assert.Equal(expected, pca.Eigenvalues, new ToleranceComparer(1e-10));
    }

    [Fact]
    public void Explained_variance_fraction_keeps_the_fewest_components_that_reach_it()
    {
        var full = Pca.Fit(Tall, 4);
        var first = full.ExplainedVarianceRatio[0];

        Assert.Equal(1, Pca.FitExplained(Tall, first).ComponentCount);
        Assert.Equal(2, Pca.FitExplained(Tall, first + 1e-6).ComponentCount);
        Assert.Equal(4, Pca.FitExplained(Tall, 1.0).ComponentCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => Pca.FitExplained(Tall, 0));
    }

    [Fact]
    public void Rebuilt_from_stored_arrays_projects_identically()
    {
        var pca = Pca.Fit(YamsysSpectra.Absorbances, 10);
        var json = JsonSerializer.Serialize(new { pca.Mean, pca.Scale, pca.Loadings, pca.Eigenvalues, pca.TotalVariance, pca.SampleCount });
        var stored = JsonSerializer.Deserialize<StoredPca>(json)!;

        var rebuilt = new Pca(stored.Mean, stored.Scale, stored.Loadings, stored.Eigenvalues, stored.TotalVariance, stored.SampleCount);

        Span<double> expected = stackalloc double[10], actual = stackalloc double[10];
        pca.Transform(YamsysSpectra.Absorbances[5], expected);
        rebuilt.Transform(YamsysSpectra.Absorbances[5], actual);
        Assert.True(expected.SequenceEqual(actual));
    }

    [Fact]
    public void Bad_input_is_an_argument_exception()
    {
        Assert.Throws<ArgumentException>(() => Pca.Fit([[1.0, 2.0]], 1));
        Assert.Throws<ArgumentException>(() => Pca.Fit([[1.0, 2.0], [1.0]], 1));
        Assert.Throws<ArgumentException>(() => Pca.Fit([[1.0, double.NaN], [1.0, 2.0]], 1));
        Assert.Throws<ArgumentException>(() => Pca.Fit([[1.0, 2.0], [1.0, 2.0]], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit(Wide, 4)); // rank of 4 centred rows is 3
        Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit(Tall, 0));
        var pca = Pca.Fit(Tall, 2);
        Assert.Throws<ArgumentException>(() => pca.Transform(new double[3], new double[2]));
        Assert.Throws<ArgumentException>(() => pca.Transform(new double[4], new double[3]));
        Assert.Throws<ArgumentException>(() => new Pca([0.0, 0.0], null, [[1.0, 0.0]], [1.0, 2.0], 3, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pca([0.0, 0.0], null, [[1.0, 0.0]], [-1.0], 3, 5));
    }

    private static (double A, double B, double C) Covariance2(double[][] rows)
    {
        var c = Covariance(rows);
        return (c[0][0], c[0][1], c[1][1]);
    }

    /// <summary>Sample covariance (n − 1) by the textbook double sum.</summary>
    internal static double[][] Covariance(double[][] rows)
    {
        var n = rows.Length;
        var p = rows[0].Length;
        var mean = Enumerable.Range(0, p).Select(j => rows.Average(r => r[j])).ToArray();
        var covariance = new double[p][];
        for (var j = 0; j < p; j++)
        {
            covariance[j] = new double[p];
            for (var k = 0; k < p; k++) covariance[j][k] = rows.Sum(r => (r[j] - mean[j]) * (r[k] - mean[k])) / (n - 1);
        }
        return covariance;
    }

    private sealed record StoredPca(double[] Mean, double[]? Scale, double[][] Loadings, double[] Eigenvalues, double TotalVariance, int SampleCount);

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
