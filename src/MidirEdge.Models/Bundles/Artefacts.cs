using System.Collections.Immutable;
using MidirEdge.Models.Domain;

namespace MidirEdge.Models.Bundles;

/// <summary>A PLS model as stored in a bundle: for the chosen components, ŷ = intercept + x·b per target (x in feature units).</summary>
/// <param name="Algorithm">PLS algorithm that fitted it (kernel, simpls, nipals).</param>
/// <param name="Components">Latent variables used.</param>
/// <param name="Coefficients">One coefficient vector per target, each as long as the feature vector.</param>
/// <param name="Intercepts">One intercept per target.</param>
public sealed record LinearModelArtefact(string Algorithm, int Components, ImmutableArray<ImmutableArray<double>> Coefficients, ImmutableArray<double> Intercepts);

/// <summary>A principal component model as stored in a bundle.</summary>
/// <param name="Mean">Feature means.</param>
/// <param name="Loadings">Orthonormal loadings, one vector per component.</param>
/// <param name="Eigenvalues">Score variances (n − 1) per component.</param>
/// <param name="TotalVariance">Sum of all feature variances of the (scaled) training data.</param>
/// <param name="SampleCount">Training samples.</param>
/// <param name="Scale">Feature standard deviations the centred data was divided by, if scaled.</param>
public sealed record PcaArtefact(ImmutableArray<double> Mean, ImmutableArray<ImmutableArray<double>> Loadings,
    ImmutableArray<double> Eigenvalues, double TotalVariance, int SampleCount, ImmutableArray<double>? Scale = null)
{
    /// <summary>The stored data of a fitted PCA.</summary>
    public static PcaArtefact From(Pca pca) => new(
        [.. pca.Mean], [.. pca.Loadings.Select(l => l.ToImmutableArray())], [.. pca.Eigenvalues], pca.TotalVariance, pca.SampleCount,
        pca.Scale is null ? null : [.. pca.Scale]);

    /// <summary>The PCA this artefact stores.</summary>
    public Pca ToPca() => new([.. Mean], Scale is { } s ? [.. s] : null, [.. Loadings.Select(l => l.ToArray())], [.. Eigenvalues], TotalVariance, SampleCount);
}

/// <summary>An applicability domain as stored in a bundle: the training PCA and the residual eigenvalues behind the Q limit.</summary>
public sealed record DomainArtefact(PcaArtefact Pca, ImmutableArray<double> ResidualEigenvalues)
{
    /// <summary>The stored data of a fitted domain.</summary>
    public static DomainArtefact From(ApplicabilityDomain domain) => new(PcaArtefact.From(domain.Pca), [.. domain.ResidualEigenvalues]);

    /// <summary>The domain this artefact stores, with limits at <paramref name="confidence"/>.</summary>
    public ApplicabilityDomain ToDomain(double confidence) => new(Pca.ToPca(), [.. ResidualEigenvalues], confidence);
}
