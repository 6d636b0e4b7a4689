using System.Buffers;
using System.Collections.ObjectModel;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace MidirEdge.Models.Domain;

/// <summary>
/// Principal component analysis of a sample × feature matrix (e.g. spectra × wavenumbers).
/// Immutable and thread-safe; every parameter is plain data, so a fitted PCA can be stored and rebuilt
/// with <see cref="Pca(double[], double[], double[][], double[], double, int)"/> without refitting.
/// </summary>
/// <remarks>
/// Rows are centred by <see cref="Mean"/> and, if fitted with scaling, divided by <see cref="Scale"/>
/// (the sample standard deviation; features with zero spread keep scale 1). The loadings are the right singular
/// vectors of that matrix Z (from MathNet's SVD), signed so that each loading's largest-magnitude entry is positive;
/// eigenvalue k is s_k²/(n−1), the variance of score k.
/// </remarks>
public sealed class Pca
{
    private readonly double[] _mean;
    private readonly double[]? _scale;
    private readonly double[][] _loadings;
    private readonly double[] _eigenvalues;

    /// <summary>Rebuilds a fitted PCA from its stored parameters (arrays are copied).</summary>
    /// <param name="mean">Feature means (length p).</param>
    /// <param name="scale">Feature scales (length p), or null for centring only.</param>
    /// <param name="loadings">Loadings, one orthonormal row of length p per component.</param>
    /// <param name="eigenvalues">Score variances (n−1 denominator), one per component, positive.</param>
    /// <param name="totalVariance">Total variance of the centred (scaled) training matrix: sum of all eigenvalues.</param>
    /// <param name="sampleCount">Number of training samples n.</param>
    public Pca(double[] mean, double[]? scale, double[][] loadings, double[] eigenvalues, double totalVariance, int sampleCount)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(loadings);
        ArgumentNullException.ThrowIfNull(eigenvalues);
        var p = mean.Length;
        if (p == 0) throw new ArgumentException("PCA needs at least one feature.", nameof(mean));
        if (scale is not null && scale.Length != p)
            throw new ArgumentException($"Scale has {scale.Length} values; mean has {p}.", nameof(scale));
        if (loadings.Length == 0) throw new ArgumentException("PCA needs at least one component.", nameof(loadings));
        if (eigenvalues.Length != loadings.Length)
            throw new ArgumentException($"{eigenvalues.Length} eigenvalues for {loadings.Length} components.", nameof(eigenvalues));
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleCount, 2);
        if (!(totalVariance > 0) || !double.IsFinite(totalVariance))
            throw new ArgumentOutOfRangeException(nameof(totalVariance), totalVariance, "Total variance must be positive and finite.");
        _loadings = new double[loadings.Length][];
        for (var k = 0; k < loadings.Length; k++)
        {
            if (loadings[k] is null || loadings[k].Length != p)
                throw new ArgumentException($"Loading {k} has {loadings[k]?.Length ?? 0} values; expected {p}.", nameof(loadings));
            if (!(eigenvalues[k] > 0) || !double.IsFinite(eigenvalues[k]))
                throw new ArgumentOutOfRangeException(nameof(eigenvalues), eigenvalues[k], $"Eigenvalue {k} must be positive and finite.");
            _loadings[k] = (double[])loadings[k].Clone();
        }
        RequireFinite(mean, nameof(mean));
        if (scale is not null)
        {
            RequireFinite(scale, nameof(scale));
            foreach (var s in scale)
                if (!(s > 0)) throw new ArgumentOutOfRangeException(nameof(scale), s, "Scales must be positive.");
        }
        _mean = (double[])mean.Clone();
        _scale = (double[]?)scale?.Clone();
        _eigenvalues = (double[])eigenvalues.Clone();
        TotalVariance = totalVariance;
        SampleCount = sampleCount;

        Mean = Array.AsReadOnly(_mean);
        Scale = _scale is null ? null : Array.AsReadOnly(_scale);
        Eigenvalues = Array.AsReadOnly(_eigenvalues);
        var rows = new ReadOnlyCollection<double>[_loadings.Length];
        var ratios = new double[_loadings.Length];
        for (var k = 0; k < rows.Length; k++)
        {
            rows[k] = Array.AsReadOnly(_loadings[k]);
            ratios[k] = _eigenvalues[k] / totalVariance;
        }
        Loadings = Array.AsReadOnly<IReadOnlyList<double>>(rows);
        ExplainedVarianceRatio = Array.AsReadOnly(ratios);
    }

    /// <summary>Number of features p (e.g. wavenumbers).</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>Number of retained components A.</summary>
    public int ComponentCount => _loadings.Length;

    /// <summary>Number of training samples n.</summary>
    public int SampleCount { get; }

    /// <summary>Feature means subtracted before projection.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Feature scales divided out after centring, or null when the PCA only centres.</summary>
    public IReadOnlyList<double>? Scale { get; }

    /// <summary>Loadings: one orthonormal row of <see cref="FeatureCount"/> values per component.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Loadings { get; }

    /// <summary>Eigenvalues of the training covariance matrix (score variances, n−1 denominator) of the retained components.</summary>
    public IReadOnlyList<double> Eigenvalues { get; }

    /// <summary>Total variance of the centred (scaled) training matrix: the sum of all its eigenvalues.</summary>
    public double TotalVariance { get; }

    /// <summary>Fraction of <see cref="TotalVariance"/> explained by each retained component.</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; }

    /// <summary>Fits a PCA with a given number of components.</summary>
    /// <param name="rows">Training samples, one row of p features each (at least two rows).</param>
    /// <param name="components">Number of components to keep, at most the rank of the centred matrix.</param>
    /// <param name="scale">Whether to divide each centred feature by its standard deviation.</param>
    public static Pca Fit(IReadOnlyList<double[]> rows, int components, bool scale = false) =>
        Decompose(rows, scale).ToPca(components);

    /// <summary>Fits a PCA keeping the fewest components that explain at least a fraction of the total variance.</summary>
    /// <param name="rows">Training samples, one row of p features each (at least two rows).</param>
    /// <param name="varianceFraction">Fraction of the total variance to explain, in (0, 1].</param>
    /// <param name="scale">Whether to divide each centred feature by its standard deviation.</param>
    public static Pca FitExplained(IReadOnlyList<double[]> rows, double varianceFraction, bool scale = false)
    {
        var decomposition = Decompose(rows, scale);
        return decomposition.ToPca(decomposition.ComponentsFor(varianceFraction));
    }

    /// <summary>Projects one sample onto the components, writing its scores; allocation-free.</summary>
    /// <param name="x">Sample of <see cref="FeatureCount"/> features.</param>
    /// <param name="scores">Receives <see cref="ComponentCount"/> scores.</param>
    public void Transform(ReadOnlySpan<double> x, Span<double> scores)
    {
        RequireLength(x, scores);
        var buffer = ArrayPool<double>.Shared.Rent(FeatureCount);
        try
        {
            Project(x, scores, buffer.AsSpan(0, FeatureCount));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>Scores of each sample (rows × components), e.g. the training scores.</summary>
    /// <param name="rows">Samples of <see cref="FeatureCount"/> features each.</param>
    public double[][] Transform(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var scores = new double[rows.Count][];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = new double[ComponentCount];
            Transform(rows[i] ?? throw new ArgumentException($"Row {i} is null.", nameof(rows)), scores[i]);
        }
        return scores;
    }

    /// <summary>Maps scores back to feature space (mean + scale × loadingsᵀ·scores).</summary>
    /// <param name="scores">Scores of <see cref="ComponentCount"/> components.</param>
    /// <param name="x">Receives the reconstructed sample of <see cref="FeatureCount"/> features.</param>
    public void Reconstruct(ReadOnlySpan<double> scores, Span<double> x)
    {
        RequireLength(x, scores);
        x.Clear();
        for (var k = 0; k < _loadings.Length; k++) Vectors.AddScaled(x, _loadings[k], scores[k]);
        for (var j = 0; j < x.Length; j++) x[j] = _mean[j] + (_scale is null ? x[j] : x[j] * _scale[j]);
    }

    /// <summary>Centres and scales x into z, then writes the scores of z; z is left holding the centred, scaled sample.</summary>
    internal void Project(ReadOnlySpan<double> x, Span<double> scores, Span<double> z)
    {
        for (var j = 0; j < z.Length; j++) z[j] = _scale is null ? x[j] - _mean[j] : (x[j] - _mean[j]) / _scale[j];
        for (var k = 0; k < _loadings.Length; k++) scores[k] = Vectors.Dot(z, _loadings[k]);
    }

    /// <summary>Subtracts the components' part from a centred, scaled sample z, leaving its residual.</summary>
    internal void RemoveComponents(ReadOnlySpan<double> scores, Span<double> z)
    {
        for (var k = 0; k < _loadings.Length; k++) Vectors.AddScaled(z, _loadings[k], -scores[k]);
    }

    internal double Eigenvalue(int component) => _eigenvalues[component];

    private void RequireLength(ReadOnlySpan<double> x, ReadOnlySpan<double> scores)
    {
        if (x.Length != FeatureCount)
            throw new ArgumentException($"Sample has {x.Length} features; the PCA was fitted on {FeatureCount}.", nameof(x));
        if (scores.Length != ComponentCount)
            throw new ArgumentException($"Score span has {scores.Length} slots; the PCA has {ComponentCount} components.", nameof(scores));
    }

    private static void RequireFinite(double[] values, string name)
    {
        for (var j = 0; j < values.Length; j++)
            if (!double.IsFinite(values[j])) throw new ArgumentException($"Value {j} is not finite.", name);
    }

    /// <summary>Centres (and scales) the rows and decomposes them; keeps every eigenvalue for residual statistics.</summary>
    internal static Decomposition Decompose(IReadOnlyList<double[]> rows, bool scale)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var n = rows.Count;
        if (n < 2) throw new ArgumentException($"PCA needs at least two samples, got {n}.", nameof(rows));
        var p = rows[0]?.Length ?? throw new ArgumentException("Row 0 is null.", nameof(rows));
        if (p == 0) throw new ArgumentException("Rows have no features.", nameof(rows));
        var mean = new double[p];
        for (var i = 0; i < n; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"Row {i} is null.", nameof(rows));
            if (row.Length != p) throw new ArgumentException($"Row {i} has {row.Length} features; row 0 has {p}.", nameof(rows));
            for (var j = 0; j < p; j++)
            {
                if (!double.IsFinite(row[j])) throw new ArgumentException($"Row {i}, feature {j} is not finite.", nameof(rows));
                mean[j] += row[j];
            }
        }
        for (var j = 0; j < p; j++) mean[j] /= n;

        double[]? scales = null;
        if (scale)
        {
            scales = new double[p];
            for (var i = 0; i < n; i++)
                for (var j = 0; j < p; j++)
                {
                    var d = rows[i][j] - mean[j];
                    scales[j] += d * d;
                }
            for (var j = 0; j < p; j++)
            {
                var sd = Math.Sqrt(scales[j] / (n - 1));
                scales[j] = sd > 0 ? sd : 1;
            }
        }

        var z = Matrix<double>.Build.Dense(n, p, (i, j) => scales is null ? rows[i][j] - mean[j] : (rows[i][j] - mean[j]) / scales[j]);
        var total = z.FrobeniusNorm();
        total = total * total / (n - 1);
        if (!(total > 0)) throw new ArgumentException("All samples are identical: there is no variance to decompose.", nameof(rows));

        // Thin QR of the tall orientation, then SVD of the small square R: the same singular values and
        // right singular vectors as an SVD of Z, without forming an n×n or p×p orthogonal factor.
        Matrix<double> right;
        double[] singular;
        if (n >= p)
        {
            var svd = z.QR(QRMethod.Thin).R.Svd(computeVectors: true);
            right = svd.VT.Transpose();
            singular = svd.S.ToArray();
        }
        else
        {
            var qr = z.Transpose().QR(QRMethod.Thin);
            var svd = qr.R.Svd(computeVectors: true);
            right = qr.Q * svd.U;
            singular = svd.S.ToArray();
        }
        var eigenvalues = new double[singular.Length];
        for (var k = 0; k < eigenvalues.Length; k++) eigenvalues[k] = singular[k] * singular[k] / (n - 1);
        return new Decomposition(mean, scales, right, eigenvalues, total, n);
    }

    /// <summary>A full decomposition: every right singular vector and eigenvalue, before choosing components.</summary>
    internal sealed record Decomposition(double[] Mean, double[]? Scale, Matrix<double> Right, double[] Eigenvalues, double TotalVariance, int SampleCount)
    {
        /// <summary>Numerical rank: eigenvalues above a relative round-off threshold.</summary>
        public int Rank
        {
            get
            {
                var tolerance = Eigenvalues[0] * Math.Max(SampleCount, Mean.Length) * 1e-12;
                var rank = 0;
                while (rank < Eigenvalues.Length && Eigenvalues[rank] > tolerance) rank++;
                return rank;
            }
        }

        public int ComponentsFor(double varianceFraction)
        {
            if (!(varianceFraction > 0 && varianceFraction <= 1))
                throw new ArgumentOutOfRangeException(nameof(varianceFraction), varianceFraction, "Explained-variance fraction must be in (0, 1].");
            var rank = Rank;
            var explained = 0.0;
            for (var k = 0; k < rank; k++)
            {
                explained += Eigenvalues[k] / TotalVariance;
                if (explained >= varianceFraction - 1e-12) return k + 1;
            }
            return rank;
        }

        public Pca ToPca(int components)
        {
            var rank = Rank;
            if (components < 1 || components > rank)
                throw new ArgumentOutOfRangeException(nameof(components), components, $"Number of components must be between 1 and the rank of the centred data ({rank}).");
            var p = Mean.Length;
            var loadings = new double[components][];
            for (var k = 0; k < components; k++)
            {
                var loading = Right.Column(k).ToArray();
                var largest = 0;
                for (var j = 1; j < p; j++)
                    if (Math.Abs(loading[j]) > Math.Abs(loading[largest])) largest = j;
                if (loading[largest] < 0)
                    for (var j = 0; j < p; j++) loading[j] = -loading[j];
                loadings[k] = loading;
            }
            return new Pca(Mean, Scale, loadings, Eigenvalues[..components], TotalVariance, SampleCount);
        }
    }
}
