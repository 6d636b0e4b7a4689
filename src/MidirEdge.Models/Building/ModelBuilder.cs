using MidirEdge.Models.Bundles;
using MidirEdge.Models.Domain;
using MidirEdge.Models.Features;
using MidirEdge.Models.Learners;
using MidirEdge.Models.Pls;
using MidirEdge.Spectra;

namespace MidirEdge.Models.Building;

/// <summary>Settings of a model build.</summary>
/// <param name="Folds">Grouped cross-validation folds.</param>
/// <param name="MaxComponents">Most PLS components tried.</param>
/// <param name="Seed">Seed of the first repeat's fold assignment (repeat r uses Seed + r), so builds repeat exactly.</param>
/// <param name="DomainConfidence">Confidence level of the applicability-domain limits.</param>
/// <param name="Repeats">Repeats of the grouped cross-validation, each with its own fold assignment.</param>
/// <param name="IntervalLevel">Nominal coverage of the conformal prediction intervals.</param>
/// <param name="TryLog1p">Also cross-validate the best candidate on ln(1 + y) (non-negative targets) and keep it when its RMSE is lower.</param>
public sealed record BuildOptions(int Folds = 5, int MaxComponents = 15, int Seed = 20261124, double DomainConfidence = 0.99, int Repeats = 5,
    double IntervalLevel = 0.90, bool TryLog1p = true);

/// <summary>One candidate's (pipeline and learner) cross-validated result for one target.</summary>
/// <param name="Pipeline">The feature pipeline.</param>
/// <param name="Learner">The learner.</param>
/// <param name="Transform">Scale of the target the learner was fitted on.</param>
/// <param name="Setting">The learner's setting chosen by the one-sigma rule (for PLS, components − 1).</param>
/// <param name="Components">PLS components at the chosen setting (for other learners, what <see cref="LearnedModel.Components"/> will be is known only after fitting: 0).</param>
/// <param name="SettingRmse">Mean cross-validated RMSE (model scale) of every setting over the repeats.</param>
/// <param name="Statistics">Cross-validated statistics at <paramref name="Setting"/> in the target's unit, the mean over repeats.</param>
/// <param name="Spread">Standard deviation of each statistic over repeats (zero with one repeat).</param>
/// <param name="Predictions">Cross-validated predictions at <paramref name="Setting"/> on the model's scale, one array per repeat, one value per used row.</param>
public sealed record PipelineScore(CandidatePipeline Pipeline, ILearner Learner, TargetTransform Transform, int Setting, int Components, double[] SettingRmse,
    RegressionStatistics Statistics, RegressionStatistics Spread, double[][] Predictions);

/// <summary>A model fitted for one target: the chosen pipeline and learner, its artefacts and how every candidate scored.</summary>
/// <remarks><see cref="Interval"/> is the conformal half-width on the model's scale; <see cref="Quality"/> is indicative when the model is weak.</remarks>
public sealed record BuiltModel(string Target, int Samples, int Groups, int Folds, int Repeats, PipelineScore Best, IReadOnlyList<PipelineScore> Scores,
    LearnedModel Model, PcaArtefact? Pca, DomainArtefact Domain, double DomainConfidence, double Min, double Max,
    IntervalSpec Interval, Prediction.PredictionQuality Quality);

/// <summary>Builds models from a spectral table, choosing pipeline, learner and its settings by repeated cross-validation grouped by sample.</summary>
public sealed class ModelBuilder(SpectralTable table, string groupColumn, BuildOptions? options = null)
{
    private readonly BuildOptions _options = options ?? new BuildOptions();
    private readonly Dictionary<string, double[][]> _descriptors = new(StringComparer.Ordinal);

    /// <summary>Cross-validates PLS on every pipeline for <paramref name="target"/>, keeps the best and fits it on all rows.</summary>
    public BuiltModel Build(string target, IReadOnlyList<CandidatePipeline> candidates, IProgress<string>? progress = null) =>
        Build(target, candidates, [new PlsLearner(_options.MaxComponents)], progress);

    /// <summary>Cross-validates every learner on every pipeline for <paramref name="target"/>, keeps the best and fits it on all rows.</summary>
    public BuiltModel Build(string target, IReadOnlyList<CandidatePipeline> candidates, IReadOnlyList<ILearner> learners, IProgress<string>? progress = null)
    {
        if (candidates.Count == 0) throw new ArgumentException("at least one pipeline is needed.", nameof(candidates));
        if (learners.Count == 0) throw new ArgumentException("at least one learner is needed.", nameof(learners));
        var (rows, y, groups) = Rows(target);
        var folds = Math.Min(_options.Folds, groups.Distinct().Count());
        var repeats = Enumerable.Range(0, _options.Repeats)
            .Select(r => CrossValidationSegments.GroupedKFold(groups, folds, _options.Seed + r)).ToArray();
        var scores = new List<PipelineScore>();
        foreach (var candidate in candidates)
        {
            var x = Matrices.Select(Descriptors(candidate), rows);
            foreach (var learner in learners)
            {
                progress?.Report($"{target}: {candidate.Name} {learner.Name}");
                scores.Add(Score(candidate, learner, TargetTransform.None, x, y, repeats));
            }
        }
        var best = scores.MinBy(s => s.Statistics.Rmse)!;
        if (_options.TryLog1p && y.Min() >= 0)
        {
            progress?.Report($"{target}: {best.Pipeline.Name} {best.Learner.Name} log1p");
            var logged = Score(best.Pipeline, best.Learner, TargetTransform.Log1p, Matrices.Select(Descriptors(best.Pipeline), rows), y, repeats);
            scores.Add(logged);
            if (logged.Statistics.Rmse < best.Statistics.Rmse) best = logged;
        }
        var descriptors = Matrices.Select(Descriptors(best.Pipeline), rows);
        var pca = best.Pipeline.PcaComponents > 0 ? Pca.Fit(descriptors, Math.Min(best.Pipeline.PcaComponents, rows.Length - 1)) : null;
        var inputs = pca is null ? descriptors : pca.Transform(descriptors);
        var z = Array.ConvertAll(y, v => best.Transform.Forward(v));
        var model = best.Learner.Fit(inputs, z, best.Setting);
        var domain = ApplicabilityDomain.Fit(descriptors, Math.Min(model.Components, rows.Length - 2), confidence: _options.DomainConfidence);
        return new BuiltModel(target, rows.Length, groups.Distinct().Count(), folds, repeats.Length, best, scores, model,
            pca is null ? null : PcaArtefact.From(pca), DomainArtefact.From(domain), _options.DomainConfidence, y.Min(), y.Max(),
            new IntervalSpec(_options.IntervalLevel, [ConformalInterval.HalfWidth(z, best.Predictions, _options.IntervalLevel)]),
            Prediction.ModelSkill.Judge(best.Statistics.R2, best.Statistics.Rpiq));
    }

    private static PipelineScore Score(CandidatePipeline candidate, ILearner learner, TargetTransform transform, double[][] x, double[] y, int[][][] repeats)
    {
        var z = Array.ConvertAll(y, v => transform.Forward(v));
        var longest = repeats.SelectMany(r => r).Max(s => s.Length);
        var features = candidate.PcaComponents > 0 ? Math.Min(candidate.PcaComponents, y.Length - longest - 1) : x[0].Length;
        var settings = learner.Settings(y.Length - longest, features);
        var predictions = new double[repeats.Length][][];
        for (var r = 0; r < repeats.Length; r++)
        {
            predictions[r] = new double[settings][];
            for (var s = 0; s < settings; s++) predictions[r][s] = new double[y.Length];
        }
        var work = repeats.SelectMany((segments, r) => segments.Select(test => (Repeat: r, Test: test))).ToArray();
        Parallel.ForEach(work, item =>
        {
            var train = Enumerable.Range(0, y.Length).Except(item.Test).ToArray();
            var trainX = Matrices.Select(x, train);
            var testX = Matrices.Select(x, item.Test);
            // PCA is part of the model, so each fold fits its own PCA on its training rows only.
            if (candidate.PcaComponents > 0)
            {
                var pca = Pca.Fit(trainX, Math.Min(candidate.PcaComponents, train.Length - 1));
                trainX = pca.Transform(trainX);
                testX = pca.Transform(testX);
            }
            var fold = learner.FitPredict(trainX, Matrices.Select(z, train), testX, settings);
            for (var s = 0; s < settings; s++)
                for (var i = 0; i < item.Test.Length; i++) predictions[item.Repeat][s][item.Test[i]] = fold[s][i];
        });
        var setting = SettingSelection.OneSigma(z, predictions, out var settingRmse);
        var chosen = predictions.Select(p => p[setting]).ToArray();
        var (mean, spread) = RepeatedStatistics.Summarise(chosen.Select(p => RegressionStatistics.Compute(y, Array.ConvertAll(p, v => transform.Inverse(v)))).ToArray());
        return new PipelineScore(candidate, learner, transform, setting, learner is PlsLearner ? setting + 1 : 0, settingRmse, mean, spread, chosen);
    }

    internal double[][] Descriptors(CandidatePipeline candidate)
    {
        if (_descriptors.TryGetValue(candidate.Name, out var cached)) return cached;
        var pipeline = new FeaturePipeline(candidate.Features, table.SpectrumAt(0));
        var result = new double[table.RowCount][];
        Parallel.For(0, table.RowCount, row => result[row] = pipeline.Describe(table.SpectrumAt(row)));
        _descriptors[candidate.Name] = result;
        return result;
    }

    internal (int[] Rows, double[] Y, string[] Groups) Rows(string target)
    {
        var values = table.Column(target).Values;
        var groups = table.Column(groupColumn).Values;
        var rows = Enumerable.Range(0, table.RowCount).Where(r => values[r] is double v && double.IsFinite(v)).ToArray();
        if (rows.Length < 2 * _options.Folds)
            throw new ArgumentException($"target '{target}' has {rows.Length} measured rows; at least {2 * _options.Folds} are needed.", nameof(target));
        return (rows, rows.Select(r => (double)values[r]!).ToArray(), rows.Select(r => Convert.ToString(groups[r], System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray());
    }
}
