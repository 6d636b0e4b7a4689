using System.Buffers;
using MathNet.Numerics.Distributions;

namespace MidirEdge.Models.Domain;

/// <summary>
/// PCA-based applicability domain of a calibration: a sample is in the domain when both its Hotelling T²
/// and its Q residual stay within their limits at <see cref="Confidence"/>. Immutable and thread-safe;
/// every parameter is plain data, so it can be stored and rebuilt with
/// <see cref="ApplicabilityDomain(Pca, double[], double)"/> without refitting.
/// </summary>
/// <remarks>
/// <para>With A components, scores t_k, eigenvalues λ_k (score variances, n−1 denominator) and n training samples:</para>
/// <para>T² = Σ_k t_k² / λ_k, with limit T²_α = A(n−1)/(n−A) · F_α(A, n−A), F_α the α quantile of the F distribution.</para>
/// <para>Q = ‖z − Pᵀt‖², the squared residual of the centred (scaled) sample z after projection on the loadings P.
/// Its limit follows Jackson and Mudholkar (1979) from the residual eigenvalues λ_{A+1}…λ_r (every eigenvalue the
/// SVD of the training matrix yields beyond the model): θ_i = Σ λ_j^i (i = 1, 2, 3), h₀ = 1 − 2θ₁θ₃ / (3θ₂²),
/// Q_α = θ₁ [z_α √(2θ₂h₀²) / θ₁ + 1 + θ₂h₀(h₀ − 1) / θ₁²]^(1/h₀), z_α the standard normal α quantile.
/// When one large residual eigenvalue and a long tail of small ones make h₀ ≤ 0, that approximation breaks down
/// (the power 1/h₀ turns negative); Pearson's three-moment shifted chi-square is used instead:
/// Q_α = θ₁ − g·h + g·χ²_α(h) with g = θ₃/θ₂, h = θ₂³/θ₃². (Box's two-moment g·χ²(h) with g = θ₂/θ₁ falls
/// ~15 % short of the true quantile in that regime, because it ignores the near-constant contribution of the tail.)</para>
/// <para>The default confidence is 99 %: both tests must pass, so at 95 % about one genuine routine sample in ten would be
/// flagged (alarm fatigue on an instrument), while samples that matter — another matrix, a contaminated or mis-scaled
/// spectrum — exceed the 99 % Q limit many times over.</para>
/// </remarks>
public sealed class ApplicabilityDomain
{
    /// <summary>Default confidence level of the limits.</summary>
    public const double DefaultConfidence = 0.99;

    private readonly double[] _residualEigenvalues;

    /// <summary>Rebuilds a domain from a stored PCA and residual eigenvalues (copied).</summary>
    /// <param name="pca">The PCA model of the training spectra.</param>
    /// <param name="residualEigenvalues">Eigenvalues of the training covariance beyond the PCA's components (n−1 denominator).</param>
    /// <param name="confidence">Confidence level of both limits, in (0, 1); 0.95 and 0.99 are usual.</param>
    public ApplicabilityDomain(Pca pca, double[] residualEigenvalues, double confidence = DefaultConfidence)
    {
        ArgumentNullException.ThrowIfNull(pca);
        ArgumentNullException.ThrowIfNull(residualEigenvalues);
        RequireConfidence(confidence);
        if (pca.SampleCount <= pca.ComponentCount)
            throw new ArgumentException($"The PCA has {pca.ComponentCount} components from {pca.SampleCount} samples; the T² limit needs more samples than components.", nameof(pca));
        var theta1 = 0.0;
        foreach (var value in residualEigenvalues)
        {
            if (!(value >= 0) || !double.IsFinite(value))
                throw new ArgumentOutOfRangeException(nameof(residualEigenvalues), value, "Residual eigenvalues must be finite and non-negative.");
            theta1 += value;
        }
        if (!(theta1 > 0))
            throw new ArgumentException("No residual variance is left beyond the PCA's components; the Q limit needs fewer components.", nameof(residualEigenvalues));
        Pca = pca;
        _residualEigenvalues = (double[])residualEigenvalues.Clone();
        ResidualEigenvalues = Array.AsReadOnly(_residualEigenvalues);
        Confidence = confidence;
        T2Limit = HotellingT2Limit(confidence);
        QLimit = QResidualLimit(confidence);
    }

    /// <summary>The PCA model of the training spectra.</summary>
    public Pca Pca { get; }

    /// <summary>Eigenvalues of the training covariance beyond the PCA's components, from which the Q limit follows.</summary>
    public IReadOnlyList<double> ResidualEigenvalues { get; }

    /// <summary>Confidence level of <see cref="T2Limit"/> and <see cref="QLimit"/>.</summary>
    public double Confidence { get; }

    /// <summary>Hotelling T² limit at <see cref="Confidence"/>.</summary>
    public double T2Limit { get; }

    /// <summary>Q residual limit at <see cref="Confidence"/>.</summary>
    public double QLimit { get; }

    /// <summary>Fits the PCA on training samples and derives the domain from it.</summary>
    /// <param name="rows">Training samples (e.g. calibration spectra), one row each.</param>
    /// <param name="components">Number of PCA components; must leave residual variance.</param>
    /// <param name="scale">Whether the PCA divides each centred feature by its standard deviation.</param>
    /// <param name="confidence">Confidence level of both limits, in (0, 1).</param>
    public static ApplicabilityDomain Fit(IReadOnlyList<double[]> rows, int components, bool scale = false, double confidence = DefaultConfidence)
    {
        RequireConfidence(confidence);
        var decomposition = Pca.Decompose(rows, scale);
        return new ApplicabilityDomain(decomposition.ToPca(components), decomposition.Eigenvalues[components..], confidence);
    }

    /// <summary>Fits the PCA with the fewest components explaining a fraction of the variance, and derives the domain.</summary>
    /// <param name="rows">Training samples (e.g. calibration spectra), one row each.</param>
    /// <param name="varianceFraction">Fraction of the total variance the components must explain, in (0, 1).</param>
    /// <param name="scale">Whether the PCA divides each centred feature by its standard deviation.</param>
    /// <param name="confidence">Confidence level of both limits, in (0, 1).</param>
    public static ApplicabilityDomain FitExplained(IReadOnlyList<double[]> rows, double varianceFraction, bool scale = false, double confidence = DefaultConfidence)
    {
        RequireConfidence(confidence);
        var decomposition = Pca.Decompose(rows, scale);
        var components = decomposition.ComponentsFor(varianceFraction);
        return new ApplicabilityDomain(decomposition.ToPca(components), decomposition.Eigenvalues[components..], confidence);
    }

    /// <summary>The same domain with limits at another confidence level.</summary>
    /// <param name="confidence">Confidence level, in (0, 1).</param>
    public ApplicabilityDomain WithConfidence(double confidence) => new(Pca, _residualEigenvalues, confidence);

    /// <summary>Hotelling T² limit A(n−1)/(n−A) · F_α(A, n−A) at a confidence level α.</summary>
    /// <param name="confidence">Confidence level α, in (0, 1).</param>
    public double HotellingT2Limit(double confidence)
    {
        RequireConfidence(confidence);
        double a = Pca.ComponentCount, n = Pca.SampleCount;
        return a * (n - 1) / (n - a) * FisherSnedecor.InvCDF(a, n - a, confidence);
    }

    /// <summary>Q residual limit at a confidence level α (Jackson–Mudholkar; Pearson's three-moment chi-square when h₀ ≤ 0).</summary>
    /// <param name="confidence">Confidence level α, in (0, 1).</param>
    public double QResidualLimit(double confidence)
    {
        RequireConfidence(confidence);
        double theta1 = 0, theta2 = 0, theta3 = 0;
        foreach (var l in _residualEigenvalues)
        {
            theta1 += l;
            theta2 += l * l;
            theta3 += l * l * l;
        }
        var h0 = 1 - 2 * theta1 * theta3 / (3 * theta2 * theta2);
        if (h0 > 0)
        {
            var z = Normal.InvCDF(0, 1, confidence);
            var bracket = z * Math.Sqrt(2 * theta2 * h0 * h0) / theta1 + 1 + theta2 * h0 * (h0 - 1) / (theta1 * theta1);
            if (bracket > 0) return theta1 * Math.Pow(bracket, 1 / h0);
        }
        var g = theta3 / theta2;
        var h = theta2 * theta2 * theta2 / (theta3 * theta3);
        return theta1 - g * h + g * ChiSquared.InvCDF(h, confidence);
    }

    /// <summary>Assesses one sample against both limits; allocation-free for up to 64 components.</summary>
    /// <param name="x">Sample of <see cref="Pca.FeatureCount"/> features, preprocessed as the training spectra were.</param>
    public DomainAssessment Assess(ReadOnlySpan<double> x)
    {
        var p = Pca.FeatureCount;
        var a = Pca.ComponentCount;
        if (x.Length != p)
            throw new ArgumentException($"Sample has {x.Length} features; the domain was fitted on {p}.", nameof(x));
        Span<double> scores = a <= 64 ? stackalloc double[a] : new double[a];
        var buffer = ArrayPool<double>.Shared.Rent(p);
        try
        {
            var z = buffer.AsSpan(0, p);
            Pca.Project(x, scores, z);
            var t2 = 0.0;
            for (var k = 0; k < a; k++) t2 += scores[k] * scores[k] / Pca.Eigenvalue(k);
            Pca.RemoveComponents(scores, z);
            var q = Vectors.Dot(z, z);
            return new DomainAssessment(t2 <= T2Limit && q <= QLimit, t2, q, T2Limit, QLimit, Confidence);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    private static void RequireConfidence(double confidence)
    {
        if (!(confidence > 0 && confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence must be in (0, 1), e.g. 0.95 or 0.99.");
    }
}
