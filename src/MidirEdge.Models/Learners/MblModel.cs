using System.Collections.Immutable;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Domain;
using MidirEdge.Models.Pls;

namespace MidirEdge.Models.Learners;

/// <summary>
/// Memory-based learning (as R resemble's <c>mbl</c> with <c>wapls</c>): for each spectrum, the k calibration spectra nearest in
/// standardised PCA score space are fitted by a local PLS, and the predictions with MinComponents…MaxComponents components are
/// averaged with weights w_a = 1/(s_a·g_a), s_a the RMS of the spectrum's X residual after a components and g_a the RMS of
/// the local regression coefficients with a components.
/// </summary>
public sealed class MblModel : LearnedModel
{
    /// <summary>Most calibration rows a bundle may store, which bounds its size and the device's search cost.</summary>
    public const int MaxCalibrationRows = 5000;

    private readonly double[][] _x;
    private readonly double[] _y;
    private readonly Pca _space;
    private readonly double[] _inverseSd;
    private readonly double[][] _scores;

    /// <summary>Rebuilds the model from its artefact, checking that its parts fit together.</summary>
    /// <exception cref="ArgumentException">The artefact is inconsistent or too large.</exception>
    public MblModel(MblArtefact artefact)
    {
        ArgumentNullException.ThrowIfNull(artefact);
        Artefact = artefact;
        var n = artefact.Calibration.IsDefault ? 0 : artefact.Calibration.Length;
        if (n < 3 || n > MaxCalibrationRows)
            throw new ArgumentException($"an mbl model needs 3 to {MaxCalibrationRows} calibration rows; it has {n}.");
        if (artefact.Targets.IsDefault || artefact.Targets.Length != n)
            throw new ArgumentException($"an mbl model needs one target value per calibration row ({n}).");
        _x = artefact.Calibration.Select(r => r.ToArray()).ToArray();
        FeatureCount = _x[0].Length;
        if (_x.Any(r => r.Length != FeatureCount) || _x.Any(r => r.Any(v => !double.IsFinite(v))) || artefact.Targets.Any(v => !double.IsFinite(v)))
            throw new ArgumentException("the mbl calibration rows differ in length or hold non-finite values.");
        if (artefact.Neighbours < 3 || artefact.Neighbours > n)
            throw new ArgumentException($"mbl neighbours must be between 3 and the {n} calibration rows; it is {artefact.Neighbours}.");
        if (artefact.MinComponents < 1 || artefact.MaxComponents < artefact.MinComponents
            || artefact.MaxComponents > Math.Min(artefact.Neighbours - 1, FeatureCount))
            throw new ArgumentException($"mbl local components {artefact.MinComponents}…{artefact.MaxComponents} do not fit {artefact.Neighbours} neighbours of {FeatureCount} features.");
        _y = [.. artefact.Targets];
        _space = artefact.Space.ToPca();
        if (_space.FeatureCount != FeatureCount)
            throw new ArgumentException($"the mbl score space takes {_space.FeatureCount} features but the calibration rows have {FeatureCount}.");
        _inverseSd = _space.Eigenvalues.Select(e => e > 0 ? 1 / Math.Sqrt(e) : 0).ToArray();
        _scores = _x.Select(Scores).ToArray();
    }

    /// <summary>The stored model.</summary>
    public MblArtefact Artefact { get; }

    /// <inheritdoc />
    public override string Kind => "mbl";

    /// <inheritdoc />
    public override int Components => Artefact.MaxComponents;

    /// <inheritdoc />
    public override int FeatureCount { get; }

    /// <summary>Fits the score space on the calibration rows and stores them.</summary>
    public static MblModel Fit(double[][] x, double[] y, int neighbours, int minComponents, int maxComponents)
    {
        var decomposition = Pca.Decompose(x, scale: false);
        var space = decomposition.ToPca(Math.Min(MaxSpaceComponents, decomposition.ComponentsFor(SpaceVariance)));
        return new MblModel(new MblArtefact(PcaArtefact.From(space), [.. x.Select(r => r.ToImmutableArray())], [.. y],
            Math.Min(neighbours, x.Length), minComponents, maxComponents));
    }

    /// <inheritdoc />
    public override byte[] ToJson() => BundleWriter.ToJson(Artefact);

    /// <inheritdoc />
    public override double Predict(double[] input) => Predict(input, [Artefact.Neighbours])[0];

    /// <summary>Predictions of one input with each neighbourhood size (each at most the calibration rows), sharing one neighbour search.</summary>
    internal double[] Predict(double[] input, IReadOnlyList<int> neighbourCounts)
    {
        if (input.Length != FeatureCount) throw new ArgumentException($"the mbl model takes {FeatureCount} features; got {input.Length}.", nameof(input));
        var scores = Scores(input);
        var distances = new double[_x.Length];
        var order = new int[_x.Length];
        for (var i = 0; i < _x.Length; i++)
        {
            var d = 0.0;
            for (var c = 0; c < scores.Length; c++)
            {
                var e = scores[c] - _scores[i][c];
                d += e * e;
            }
            distances[i] = d;
            order[i] = i;
        }
        Array.Sort(distances, order);
        var predictions = new double[neighbourCounts.Count];
        for (var s = 0; s < predictions.Length; s++)
        {
            var k = neighbourCounts[s];
            var maxComponents = Math.Min(Artefact.MaxComponents, k - 1);
            predictions[s] = LocalWapls(order.AsSpan(0, k), input, Math.Min(Artefact.MinComponents, maxComponents), maxComponents);
        }
        return predictions;
    }

    private const int MaxSpaceComponents = 20;
    private const double SpaceVariance = 0.99;

    private double[] Scores(double[] x)
    {
        var scores = new double[_space.ComponentCount];
        _space.Transform(x, scores);
        for (var c = 0; c < scores.Length; c++) scores[c] *= _inverseSd[c];
        return scores;
    }

    // A neighbourhood may support fewer components than asked (its residual X–Y covariance vanishes): use as many as it does.
    private static PlsModel FitSupported(double[,] x, double[] y, ref int components)
    {
        while (true)
        {
            try
            {
                return PlsRegression.Fit(x, y, components);
            }
            catch (ArgumentException) when (components > 1)
            {
                components--;
            }
        }
    }

    private double LocalWapls(ReadOnlySpan<int> neighbours, double[] input, int minComponents, int maxComponents)
    {
        var x = new double[neighbours.Length, FeatureCount];
        var y = new double[neighbours.Length];
        for (var i = 0; i < neighbours.Length; i++)
        {
            var row = _x[neighbours[i]];
            for (var j = 0; j < row.Length; j++) x[i, j] = row[j];
            y[i] = _y[neighbours[i]];
        }
        // Neighbours that all share one value (replicates of one soil) leave nothing to regress on.
        if (y.All(v => v == y[0])) return y[0];
        var pls = FitSupported(x, y, ref maxComponents);
        minComponents = Math.Min(minComponents, maxComponents);
        var projection = pls.Projection();
        var loadings = pls.XLoadings();
        var residual = new double[FeatureCount];
        var means = pls.XMeans;
        for (var j = 0; j < residual.Length; j++) residual[j] = input[j] - means[j];
        var centred = (double[])residual.Clone();
        double weighted = 0, weights = 0;
        for (var a = 1; a <= maxComponents; a++)
        {
            var t = 0.0;
            for (var j = 0; j < centred.Length; j++) t += centred[j] * projection[j, a - 1];
            for (var j = 0; j < residual.Length; j++) residual[j] -= t * loadings[j, a - 1];
            if (a < minComponents) continue;
            var s = Math.Sqrt(Vectors.Dot(residual, residual) / residual.Length);
            var b = pls.Coefficients(a, 0);
            var g = Math.Sqrt(Vectors.Dot(b, b) / b.Length);
            var w = 1 / (s * g);
            if (!double.IsFinite(w)) w = 0;
            weighted += w * pls.Predict(input, a)[0];
            weights += w;
        }
        return weights > 0 ? weighted / weights : pls.Predict(input, maxComponents)[0];
    }
}
