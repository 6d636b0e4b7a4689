using System.Collections.Immutable;
using MidirEdge.Models.Bundles;

namespace MidirEdge.Models.Learners;

/// <summary>A Gaussian process regression on PCA scores as stored in a bundle (<c>*.gpr.json</c>): its posterior mean.</summary>
/// <param name="Pca">PCA of the model inputs whose scores the process runs on.</param>
/// <param name="ScoreScale">Scores are divided by this before the kernel (the root of the retained eigenvalues' sum).</param>
/// <param name="Scores">Scaled scores of the training rows (at most <see cref="GprModel.MaxTrainingRows"/>).</param>
/// <param name="Weights">Posterior weights α = (R + λI)⁻¹ y_std, one per training row.</param>
/// <param name="LengthScale">Length scale ℓ of the squared-exponential kernel exp(−|s − s'|² / 2ℓ²).</param>
/// <param name="NoiseRatio">Noise variance over signal variance λ, chosen with ℓ by marginal likelihood.</param>
/// <param name="YMean">Mean of the training targets (model scale).</param>
/// <param name="YScale">Standard deviation of the training targets (model scale).</param>
public sealed record GprArtefact(PcaArtefact Pca, double ScoreScale, ImmutableArray<ImmutableArray<double>> Scores, ImmutableArray<double> Weights,
    double LengthScale, double NoiseRatio, double YMean, double YScale);
