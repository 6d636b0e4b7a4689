using MidirEdge.Models.Bundles;
using MidirEdge.Models.Domain;
using MidirEdge.Models.Features;
using MidirEdge.Models.Learners;
using MidirEdge.Models.Pls;
using MidirEdge.Spectra;

namespace MidirEdge.Models.Building;

/// <summary>Mean and standard deviation over the cross-validation repeats.</summary>
/// <param name="Mean">Mean over repeats.</param>
/// <param name="Sd">Standard deviation over repeats.</param>
public sealed record Spread(double Mean, double Sd);

/// <summary>One pipeline × learner (× target scale) under repeated grouped CV.</summary>
/// <param name="Pipeline">Feature pipeline.</param>
/// <param name="Learner">Learner.</param>
/// <param name="Transform">Target scale the learner was fitted on (<c>none</c> or <c>log1p</c>; statistics are in the target's unit).</param>
/// <param name="Setting">The learner's setting chosen by the one-sigma rule, in words.</param>
/// <param name="Rmse">RMSE.</param>
/// <param name="R2">R².</param>
/// <param name="Rpiq">RPIQ.</param>
/// <param name="Ccc">Lin's concordance correlation.</param>
/// <param name="RepeatRmse">RMSE of each repeat (same fold assignments for every candidate).</param>
public sealed record CandidateResult(string Pipeline, string Learner, string Transform, string Setting, Spread Rmse, Spread R2, Spread Rpiq, Spread Ccc,
    double[] RepeatRmse)
{
    /// <summary>Pipeline, learner and, when not the measured scale, the transform.</summary>
    public string Name => $"{Pipeline} {Learner}{(Transform == "none" ? "" : " " + Transform)}";
}

/// <summary>Error against the number of training soils for one candidate.</summary>
/// <param name="Candidate">Candidate name.</param>
/// <param name="Soils">Training soils (groups) of each point.</param>
/// <param name="Rmse">Grouped-CV RMSE at each size, mean ± sd over repeats.</param>
public sealed record LearningCurve(string Candidate, int[] Soils, Spread[] Rmse);

/// <summary>The best hybrid against the best PLS on the same folds.</summary>
/// <param name="Pls">Best PLS candidate.</param>
/// <param name="Hybrid">Best candidate of any other learner.</param>
/// <param name="Differences">RMSE(hybrid) − RMSE(PLS) in each repeat.</param>
/// <param name="MeanDifference">Mean of the differences.</param>
/// <param name="SdDifference">Standard deviation of the differences.</param>
/// <param name="RepeatSpread">The larger standard deviation over repeats of the two candidates' RMSE.</param>
/// <param name="Exceeds">Whether |mean difference| is larger than both the repeat spread and twice the standard error of the differences.</param>
/// <param name="Statement">The verdict in words.</param>
public sealed record PairedComparison(string Pls, string Hybrid, double[] Differences, double MeanDifference, double SdDifference, double RepeatSpread,
    bool Exceeds, string Statement);

/// <summary>PLS regression coefficients and VIP over the wavenumber axis of the best PLS on a spectral (not scattering) pipeline.</summary>
/// <param name="Candidate">Candidate name.</param>
/// <param name="Wavenumber">Grid of the model input.</param>
/// <param name="Coefficients">Regression coefficient of each point.</param>
/// <param name="Vip">Variable importance in projection of each point.</param>
public sealed record SpectralImportance(string Candidate, double[] Wavenumber, double[] Coefficients, double[] Vip);

/// <summary>Importance of one scattering path, and where on the spectrum and at what scale it looks.</summary>
/// <param name="Order">0, 1 or 2.</param>
/// <param name="ScaleCm">Period of the path's (last) wavelet, 1/ξ samples, in cm⁻¹: the width of the features it responds to (order 0: the averaging width 2^J samples).</param>
/// <param name="ParentScaleCm">For order 2, the period of the first wavelet in cm⁻¹.</param>
/// <param name="Importance">Root mean square VIP over the path's positions.</param>
/// <param name="PeakFrom">Start of the band (cm⁻¹) of the path's most important position.</param>
/// <param name="PeakTo">End of that band.</param>
public sealed record PathImportance(int Order, double ScaleCm, double? ParentScaleCm, double Importance, double PeakFrom, double PeakTo);

/// <summary>The answer to the four questions for one target of a table.</summary>
public sealed record ComparisonResult(string Target, int Samples, int Groups, int Folds, int Repeats, int Seed,
    IReadOnlyList<CandidateResult> Candidates, string Best, IReadOnlyList<LearningCurve> Curves, PairedComparison? Paired,
    SpectralImportance? Spectral, string? ScatteringCandidate, IReadOnlyList<PathImportance> Paths);

/// <summary>Runs the comparison behind <c>model compare --report</c>: prediction power, small data, reproducibility, interpretability.</summary>
public static class ModelComparison
{
    /// <summary>Cross-validates every pipeline × learner, then learning curves, the paired comparison and the importances.</summary>
    /// <remarks><paramref name="curveSoils"/> are the training soils of the learning-curve points, each capped at the soils a fold trains on.</remarks>
    public static ComparisonResult Run(SpectralTable table, string groupColumn, string target, IReadOnlyList<CandidatePipeline> pipelines,
        IReadOnlyList<ILearner> learners, BuildOptions options, IReadOnlyList<int> curveSoils, IProgress<string>? progress = null)
    {
        var builder = new ModelBuilder(table, groupColumn, options);
        var built = builder.Build(target, pipelines, learners, progress);
        var (rows, y, groups) = builder.Rows(target);
        var repeats = Enumerable.Range(0, built.Repeats)
            .Select(r => CrossValidationSegments.GroupedKFold(groups, built.Folds, options.Seed + r)).ToArray();
        var candidates = built.Scores.Select(s => Result(s, y)).ToArray();
        var best = candidates[IndexOf(built.Scores, built.Best)];

        var pls = built.Scores.Where(s => s.Learner is PlsLearner).MinBy(s => s.Statistics.Rmse);
        var hybrid = built.Scores.Where(s => s.Learner is not PlsLearner && s.Members.IsEmpty).MinBy(s => s.Statistics.Rmse);
        var curves = new List<LearningCurve>();
        foreach (var score in new[] { pls, hybrid }.OfType<PipelineScore>())
        {
            progress?.Report($"{target}: learning curve of {candidates[IndexOf(built.Scores, score)].Name}");
            curves.Add(Curve(builder, score, rows, y, groups, repeats, curveSoils, candidates[IndexOf(built.Scores, score)].Name));
        }
        var paired = pls is not null && hybrid is not null
            ? Paired(candidates[IndexOf(built.Scores, pls)], candidates[IndexOf(built.Scores, hybrid)])
            : null;

        progress?.Report($"{target}: importances");
        var spectralPls = built.Scores.Where(s => s.Learner is PlsLearner && s.Pipeline.Scattering is null && s.Pipeline.PcaComponents == 0).MinBy(s => s.Statistics.Rmse);
        var spectral = spectralPls is null ? null : Spectral(builder, table, spectralPls, rows, y, candidates[IndexOf(built.Scores, spectralPls)].Name);
        var scatteringPls = built.Scores.Where(s => s.Learner is PlsLearner && s.Pipeline.Scattering is not null && s.Pipeline.PcaComponents == 0).MinBy(s => s.Statistics.Rmse);
        var paths = scatteringPls is null ? [] : Paths(builder, table, scatteringPls, rows, y);
        return new ComparisonResult(target, rows.Length, groups.Distinct().Count(), built.Folds, built.Repeats, options.Seed, candidates, best.Name, curves, paired,
            spectral, scatteringPls is null ? null : candidates[IndexOf(built.Scores, scatteringPls)].Name, paths);
    }

    private static int IndexOf(IReadOnlyList<PipelineScore> scores, PipelineScore score) => scores.Select((s, i) => (s, i)).First(p => ReferenceEquals(p.s, score)).i;

    private static CandidateResult Result(PipelineScore s, double[] y)
    {
        var perRepeat = s.Predictions.Select(p => RegressionStatistics.Compute(y, Array.ConvertAll(p, v => s.Transform.Inverse(v)))).ToArray();
        return new CandidateResult(s.Pipeline.Name, s.Learner.Name, s.Transform == TargetTransform.Log1p ? "log1p" : "none", s.Learner.Describe(s.Setting),
            new(s.Statistics.Rmse, s.Spread.Rmse), new(s.Statistics.R2, s.Spread.R2), new(s.Statistics.Rpiq, s.Spread.Rpiq), new(s.Statistics.Ccc, s.Spread.Ccc),
            [.. perRepeat.Select(r => r.Rmse)]);
    }

    // The candidate's setting (chosen on all soils) refitted in each fold on a seeded random subset of the fold's training soils.
    private static LearningCurve Curve(ModelBuilder builder, PipelineScore score, int[] rows, double[] y, string[] groups, int[][][] repeats,
        IReadOnlyList<int> soils, string name)
    {
        var x = Matrices.Select(builder.Descriptors(score.Pipeline), rows);
        var z = Array.ConvertAll(y, v => score.Transform.Forward(v));
        var sizes = soils.Order().Distinct().ToArray();
        var result = new Spread[sizes.Length];
        for (var k = 0; k < sizes.Length; k++)
        {
            var rmse = new double[repeats.Length];
            for (var r = 0; r < repeats.Length; r++)
            {
                var predicted = new double[y.Length];
                var segments = repeats[r];
                Parallel.For(0, segments.Length, f =>
                {
                    var test = segments[f];
                    var trainGroups = Enumerable.Range(0, y.Length).Except(test).Select(i => groups[i]).Distinct().Order(StringComparer.Ordinal).ToArray();
                    var random = new Random(1000 * r + 17 * f + sizes[k]);
                    var keep = trainGroups.OrderBy(_ => random.Next()).Take(sizes[k]).ToHashSet(StringComparer.Ordinal);
                    var train = Enumerable.Range(0, y.Length).Where(i => keep.Contains(groups[i])).ToArray();
                    var trainX = Matrices.Select(x, train);
                    var testX = Matrices.Select(x, test);
                    if (score.Pipeline.PcaComponents > 0)
                    {
                        var pca = Pca.Fit(trainX, Math.Min(score.Pipeline.PcaComponents, train.Length - 1));
                        trainX = pca.Transform(trainX);
                        testX = pca.Transform(testX);
                    }
                    var settings = Math.Min(score.Setting + 1, score.Learner.Settings(train.Length, trainX[0].Length));
                    var values = score.Learner.FitPredict(trainX, Matrices.Select(z, train), testX, settings)[settings - 1];
                    for (var i = 0; i < test.Length; i++) predicted[test[i]] = score.Transform.Inverse(values[i]);
                });
                rmse[r] = RegressionStatistics.Compute(y, predicted).Rmse;
            }
            result[k] = new Spread(rmse.Average(), Sd(rmse));
        }
        var trained = repeats[0].Min(test => Enumerable.Range(0, y.Length).Except(test).Select(i => groups[i]).Distinct().Count());
        return new LearningCurve(name, [.. sizes.Select(s => Math.Min(s, trained))], result);
    }

    private static PairedComparison Paired(CandidateResult pls, CandidateResult hybrid)
    {
        var differences = hybrid.RepeatRmse.Select((h, r) => h - pls.RepeatRmse[r]).ToArray();
        var mean = differences.Average();
        var sd = Sd(differences);
        var spread = Math.Max(pls.Rmse.Sd, hybrid.Rmse.Sd);
        var standardError = sd / Math.Sqrt(differences.Length);
        var exceeds = Math.Abs(mean) > spread && Math.Abs(mean) > 2 * standardError;
        var better = mean < 0 ? hybrid.Name : pls.Name;
        var statement = exceeds
            ? FormattableString.Invariant($"{better} is better: the paired RMSE difference ({mean:+0.####;-0.####}) is larger than the spread over repeats ({spread:0.####}) and than twice its standard error ({2 * standardError:0.####}).")
            : FormattableString.Invariant($"No real difference: the paired RMSE difference ({mean:+0.####;-0.####}) is within the spread over repeats ({spread:0.####}) or twice its standard error ({2 * standardError:0.####}).");
        return new PairedComparison(pls.Name, hybrid.Name, differences, mean, sd, spread, exceeds, statement);
    }

    private static SpectralImportance Spectral(ModelBuilder builder, SpectralTable table, PipelineScore score, int[] rows, double[] y, string name)
    {
        var x = Matrices.Select(builder.Descriptors(score.Pipeline), rows);
        var model = PlsRegression.Fit(Matrices.From(x), Array.ConvertAll(y, v => score.Transform.Forward(v)), score.Components);
        var pipeline = new FeaturePipeline(score.Pipeline.Features, table.SpectrumAt(0));
        var grid = pipeline.PreprocessedLength == table.X.Length ? table.X.ToArray() : [.. Enumerable.Range(0, pipeline.PreprocessedLength).Select(i => (double)i)];
        return new SpectralImportance(name, grid, model.Coefficients(score.Components, 0).ToArray(), Vip(model, x));
    }

    private static PathImportance[] Paths(ModelBuilder builder, SpectralTable table, PipelineScore score, int[] rows, double[] y)
    {
        var x = Matrices.Select(builder.Descriptors(score.Pipeline), rows);
        var model = PlsRegression.Fit(Matrices.From(x), Array.ConvertAll(y, v => score.Transform.Forward(v)), score.Components);
        var vip = Vip(model, x);
        var scattering = new FeaturePipeline(score.Pipeline.Features, table.SpectrumAt(0)).Scattering!;
        var length = scattering.SignalLength;
        var positions = scattering.TimeLength;
        var step = Math.Abs(table.X[^1] - table.X[0]) / (table.X.Length - 1);
        return scattering.FeaturePaths.Select((path, p) =>
        {
            var values = vip[(p * positions)..((p + 1) * positions)];
            var peak = Array.IndexOf(values, values.Max());
            int from = Math.Min(table.X.Length - 1, peak * length / positions), to = Math.Min(table.X.Length - 1, (peak + 1) * length / positions - 1);
            // The order-0 path is the low-pass average over 2^J points.
            return new PathImportance(path.Order, path.Order == 0 ? step * Math.Pow(2, score.Pipeline.Scattering!.J) : step / path.Xi[^1], path.Order == 2 ? step / path.Xi[0] : null,
                Math.Sqrt(values.Average(v => v * v)), table.X[from], table.X[to]);
        }).ToArray();
    }

    // VIP_j = √(p·Σ_a SSY_a·(w_ja/‖w_a‖)² / Σ_a SSY_a); the weights W span the same nested spaces as the projection R, so
    // Gram–Schmidt on R's columns gives W's directions (signs do not matter here).
    private static double[] Vip(PlsModel model, double[][] x)
    {
        var r = model.Projection();
        var q = model.YLoadings();
        int p = r.GetLength(0), a = r.GetLength(1);
        var w = new double[a][];
        var ssy = new double[a];
        for (var c = 0; c < a; c++)
        {
            var column = new double[p];
            for (var j = 0; j < p; j++) column[j] = r[j, c];
            for (var prior = 0; prior < c; prior++)
            {
                var dot = Vectors.Dot(column, w[prior]);
                for (var j = 0; j < p; j++) column[j] -= dot * w[prior][j];
            }
            var norm = Math.Sqrt(Vectors.Dot(column, column));
            for (var j = 0; j < p; j++) column[j] /= norm;
            w[c] = column;
            var scores = 0.0;
            foreach (var row in x)
            {
                var t = 0.0;
                for (var j = 0; j < p; j++) t += (row[j] - model.XMeans[j]) / model.XScales[j] * r[j, c];
                scores += t * t;
            }
            ssy[c] = q[0, c] * q[0, c] * scores;
        }
        var total = ssy.Sum();
        var vip = new double[p];
        for (var j = 0; j < p; j++)
        {
            var sum = 0.0;
            for (var c = 0; c < a; c++) sum += ssy[c] * w[c][j] * w[c][j];
            vip[j] = Math.Sqrt(p * sum / total);
        }
        return vip;
    }

    private static double Sd(double[] values)
    {
        if (values.Length < 2) return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}
