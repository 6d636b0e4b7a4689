using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Domain;

namespace MidirEdge.Models.Learners;

/// <summary>
/// Gaussian process regression on PCA scores: a squared-exponential kernel on scaled scores plus white noise, targets
/// standardised, length scale and noise ratio chosen on a grid by the marginal likelihood with the signal variance
/// profiled out (maximising −n·ln(yᵀC⁻¹y / n) − ln|C|, C = R + λI). The prediction is the posterior mean.
/// </summary>
public sealed class GprModel : LearnedModel
{
    /// <summary>Most training rows a bundle may store.</summary>
    public const int MaxTrainingRows = 5000;

    private static readonly double[] LengthScales = [0.125, 0.25, 0.5, 1, 2, 4, 8];
    private static readonly double[] NoiseRatios = [0.001, 0.01, 0.03, 0.1, 0.3, 1];

    private readonly Pca _pca;
    private readonly double[][] _scores;
    private readonly double[] _weights;

    /// <summary>Rebuilds the model from its artefact, checking that its parts fit together.</summary>
    /// <exception cref="ArgumentException">The artefact is inconsistent or too large.</exception>
    public GprModel(GprArtefact artefact)
    {
        ArgumentNullException.ThrowIfNull(artefact);
        Artefact = artefact;
        var n = artefact.Scores.IsDefault ? 0 : artefact.Scores.Length;
        if (n < 2 || n > MaxTrainingRows) throw new ArgumentException($"a gpr model needs 2 to {MaxTrainingRows} training rows; it has {n}.");
        if (artefact.Weights.IsDefault || artefact.Weights.Length != n) throw new ArgumentException($"a gpr model needs one weight per training row ({n}).");
        _pca = artefact.Pca.ToPca();
        _scores = artefact.Scores.Select(r => r.ToArray()).ToArray();
        if (_scores.Any(r => r.Length != _pca.ComponentCount))
            throw new ArgumentException($"gpr training scores must have the PCA's {_pca.ComponentCount} components.");
        _weights = [.. artefact.Weights];
        if (!(artefact.ScoreScale > 0) || !(artefact.LengthScale > 0) || !(artefact.YScale > 0) || !double.IsFinite(artefact.YMean)
            || _weights.Any(w => !double.IsFinite(w)) || _scores.Any(r => r.Any(v => !double.IsFinite(v))))
            throw new ArgumentException("a gpr model needs positive scales and finite weights, scores and mean.");
    }

    /// <summary>The stored model.</summary>
    public GprArtefact Artefact { get; }

    /// <inheritdoc />
    public override string Kind => "gpr";

    /// <inheritdoc />
    public override int Components => _pca.ComponentCount;

    /// <inheritdoc />
    public override int FeatureCount => _pca.FeatureCount;

    /// <summary>Fits the process on the first <paramref name="components"/> principal components of a decomposition of <paramref name="x"/>.</summary>
    internal static GprModel Fit(Pca.Decomposition decomposition, double[][] x, double[] y, int components)
    {
        var pca = decomposition.ToPca(Math.Min(components, decomposition.Rank));
        var scale = Math.Sqrt(pca.Eigenvalues.Sum());
        var scores = pca.Transform(x);
        foreach (var row in scores)
            for (var c = 0; c < row.Length; c++) row[c] /= scale;
        var mean = y.Average();
        var sd = Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)) / (y.Length - 1));
        if (!(sd > 0)) sd = 1;
        var standard = Vector<double>.Build.Dense(y.Length, i => (y[i] - mean) / sd);
        var squared = SquaredDistances(scores);
        (double Objective, double LengthScale, double Noise, Vector<double> Alpha)? best = null;
        foreach (var lengthScale in LengthScales)
        {
            var correlation = Matrix<double>.Build.Dense(y.Length, y.Length, (i, j) => Math.Exp(-squared[i, j] / (2 * lengthScale * lengthScale)));
            foreach (var noise in NoiseRatios)
            {
                var c = correlation.Clone();
                for (var i = 0; i < y.Length; i++) c[i, i] += noise;
                MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> cholesky;
                try
                {
                    cholesky = c.Cholesky();
                }
                catch (ArgumentException)
                {
                    continue;
                }
                var alpha = cholesky.Solve(standard);
                var objective = y.Length * Math.Log(standard.DotProduct(alpha) / y.Length) + cholesky.DeterminantLn;
                if (double.IsFinite(objective) && (best is null || objective < best.Value.Objective))
                    best = (objective, lengthScale, noise, alpha);
            }
        }
        var chosen = best ?? throw new ArgumentException("no kernel setting gave a positive definite covariance.");
        return new GprModel(new GprArtefact(PcaArtefact.From(pca), scale, [.. scores.Select(r => r.ToImmutableArray())], [.. chosen.Alpha],
            chosen.LengthScale, chosen.Noise, mean, sd));
    }

    /// <inheritdoc />
    public override byte[] ToJson() => BundleWriter.ToJson(Artefact);

    /// <inheritdoc />
    public override double Predict(double[] input)
    {
        if (input.Length != FeatureCount) throw new ArgumentException($"the gpr model takes {FeatureCount} features; got {input.Length}.", nameof(input));
        var s = new double[_pca.ComponentCount];
        _pca.Transform(input, s);
        for (var c = 0; c < s.Length; c++) s[c] /= Artefact.ScoreScale;
        var twoLengthSquared = 2 * Artefact.LengthScale * Artefact.LengthScale;
        var sum = 0.0;
        for (var i = 0; i < _scores.Length; i++)
        {
            var d = 0.0;
            for (var c = 0; c < s.Length; c++)
            {
                var e = s[c] - _scores[i][c];
                d += e * e;
            }
            sum += _weights[i] * Math.Exp(-d / twoLengthSquared);
        }
        return Artefact.YMean + Artefact.YScale * sum;
    }

    private static double[,] SquaredDistances(double[][] scores)
    {
        var n = scores.Length;
        var result = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                var d = 0.0;
                for (var c = 0; c < scores[i].Length; c++)
                {
                    var e = scores[i][c] - scores[j][c];
                    d += e * e;
                }
                result[i, j] = result[j, i] = d;
            }
        return result;
    }
}
