using MidirEdge.Models.Bundles;
using MidirEdge.Models.Domain;
using MidirEdge.Models.Features;
using MidirEdge.Models.Pls;
using MidirEdge.Spectra;

namespace MidirEdge.Models.Building;

/// <summary>Settings of a model build.</summary>
/// <param name="Folds">Grouped cross-validation folds.</param>
/// <param name="MaxComponents">Most PLS components tried.</param>
/// <param name="Seed">Seed of the fold assignment, so builds repeat exactly.</param>
/// <param name="DomainConfidence">Confidence level of the applicability-domain limits.</param>
public sealed record BuildOptions(int Folds = 5, int MaxComponents = 15, int Seed = 20261124, double DomainConfidence = 0.99);

/// <summary>One pipeline's cross-validated result for one target.</summary>
/// <param name="Pipeline">The pipeline.</param>
/// <param name="Components">PLS components chosen by the one-sigma rule.</param>
/// <param name="Rmsep">Cross-validated RMSEP for 0…max components.</param>
/// <param name="Statistics">Cross-validated statistics at <paramref name="Components"/>.</param>
/// <param name="Predictions">Cross-validated predictions at <paramref name="Components"/>, one per used row.</param>
public sealed record PipelineScore(CandidatePipeline Pipeline, int Components, double[] Rmsep, RegressionStatistics Statistics, double[] Predictions);

/// <summary>A model fitted for one target: the chosen pipeline, its artefacts and how every candidate scored.</summary>
public sealed record BuiltModel(string Target, int Samples, int Groups, int Folds, PipelineScore Best, IReadOnlyList<PipelineScore> Scores,
    LinearModelArtefact Model, PcaArtefact? Pca, DomainArtefact Domain, double DomainConfidence, double Min, double Max);

/// <summary>Builds PLS models from a spectral table, choosing the pipeline and components by cross-validation grouped by sample.</summary>
public sealed class ModelBuilder(SpectralTable table, string groupColumn, BuildOptions? options = null)
{
    private readonly BuildOptions _options = options ?? new BuildOptions();
    private readonly Dictionary<string, double[][]> _descriptors = new(StringComparer.Ordinal);

    /// <summary>Cross-validates every candidate for <paramref name="target"/>, keeps the best and fits it on all rows.</summary>
    public BuiltModel Build(string target, IReadOnlyList<CandidatePipeline> candidates, IProgress<string>? progress = null)
    {
        if (candidates.Count == 0) throw new ArgumentException("at least one pipeline is needed.", nameof(candidates));
        var (rows, y, groups) = Rows(target);
        var segments = CrossValidationSegments.GroupedKFold(groups, Math.Min(_options.Folds, groups.Distinct().Count()), _options.Seed);
        var scores = new List<PipelineScore>();
        foreach (var candidate in candidates)
        {
            progress?.Report($"{target}: {candidate.Name}");
            var x = Select(Descriptors(candidate), rows);
            scores.Add(Score(candidate, x, y, segments));
        }
        var best = scores.MinBy(s => s.Statistics.Rmse)!;
        var descriptors = Select(Descriptors(best.Pipeline), rows);
        var pca = best.Pipeline.PcaComponents > 0 ? Pca.Fit(descriptors, Math.Min(best.Pipeline.PcaComponents, rows.Length - 1)) : null;
        var inputs = pca is null ? descriptors : pca.Transform(descriptors);
        var components = Math.Max(1, best.Components);
        var pls = PlsRegression.Fit(ToMatrix(inputs), y, components);
        var model = new LinearModelArtefact("kernel", components, [[.. pls.Coefficients(components, 0)]], [pls.Intercepts(components)[0]]);
        var domain = ApplicabilityDomain.Fit(descriptors, Math.Min(components, rows.Length - 2), confidence: _options.DomainConfidence);
        return new BuiltModel(target, rows.Length, groups.Distinct().Count(), segments.Length, best, scores, model,
            pca is null ? null : PcaArtefact.From(pca), DomainArtefact.From(domain), _options.DomainConfidence, y.Min(), y.Max());
    }

    private PipelineScore Score(CandidatePipeline candidate, double[][] x, double[] y, int[][] segments)
    {
        var maxComponents = Math.Min(_options.MaxComponents, y.Length - segments.Max(s => s.Length) - 2);
        var cv = candidate.PcaComponents > 0
            ? CrossValidateWithPca(x, y, segments, Math.Min(maxComponents, candidate.PcaComponents), candidate.PcaComponents)
            : PlsCrossValidation.Run(ToMatrix(x), y, maxComponents, segments);
        var chosen = Math.Max(1, cv.SelectComponents());
        return new PipelineScore(candidate, chosen, cv.Rmsep(), cv.Statistics(chosen), cv.Predictions(chosen, 0));
    }

    // PCA is part of the model, so each fold fits its own PCA on its training rows only.
    private static PlsCrossValidationResult CrossValidateWithPca(double[][] x, double[] y, int[][] segments, int maxComponents, int pcaComponents)
    {
        var predictions = new double[maxComponents][];
        for (var a = 0; a < maxComponents; a++) predictions[a] = new double[y.Length];
        var observed = new double[y.Length, 1];
        for (var i = 0; i < y.Length; i++) observed[i, 0] = y[i];
        foreach (var test in segments)
        {
            var train = Enumerable.Range(0, y.Length).Except(test).ToArray();
            var trainX = Select(x, train);
            var pca = Pca.Fit(trainX, Math.Min(pcaComponents, train.Length - 1));
            var pls = PlsRegression.Fit(ToMatrix(pca.Transform(trainX)), Select(y, train), maxComponents);
            var scores = new double[pca.ComponentCount];
            foreach (var row in test)
            {
                pca.Transform(x[row], scores);
                for (var a = 1; a <= maxComponents; a++) predictions[a - 1][row] = pls.Predict(scores, a)[0];
            }
        }
        return new PlsCrossValidationResult(observed, predictions);
    }

    private double[][] Descriptors(CandidatePipeline candidate)
    {
        if (_descriptors.TryGetValue(candidate.Name, out var cached)) return cached;
        var pipeline = new FeaturePipeline(candidate.Features, table.SpectrumAt(0));
        var result = new double[table.RowCount][];
        Parallel.For(0, table.RowCount, row => result[row] = pipeline.Describe(table.SpectrumAt(row)));
        _descriptors[candidate.Name] = result;
        return result;
    }

    private (int[] Rows, double[] Y, string[] Groups) Rows(string target)
    {
        var values = table.Column(target).Values;
        var groups = table.Column(groupColumn).Values;
        var rows = Enumerable.Range(0, table.RowCount).Where(r => values[r] is double v && double.IsFinite(v)).ToArray();
        if (rows.Length < 2 * _options.Folds)
            throw new ArgumentException($"target '{target}' has {rows.Length} measured rows; at least {2 * _options.Folds} are needed.", nameof(target));
        return (rows, rows.Select(r => (double)values[r]!).ToArray(), rows.Select(r => Convert.ToString(groups[r], System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray());
    }

    private static T[] Select<T>(T[] source, int[] rows) => Array.ConvertAll(rows, r => source[r]);

    private static double[,] ToMatrix(double[][] rows)
    {
        var matrix = new double[rows.Length, rows[0].Length];
        for (var i = 0; i < rows.Length; i++)
            for (var j = 0; j < rows[i].Length; j++) matrix[i, j] = rows[i][j];
        return matrix;
    }
}
