using System.Collections.Immutable;
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
/// <param name="TryLog1p">Also cross-validate the best <paramref name="Log1pCandidates"/> candidates on ln(1 + y) (non-negative targets).</param>
/// <param name="Log1pCandidates">How many of the best candidates are also tried on ln(1 + y).</param>
/// <param name="EnsembleSize">Most candidates a stacked ensemble combines (the best of each pipeline × learner); below 2, no ensemble is tried.</param>
public sealed record BuildOptions(int Folds = 5, int MaxComponents = 15, int Seed = 20261124, double DomainConfidence = 0.99, int Repeats = 5,
    double IntervalLevel = 0.90, bool TryLog1p = true, int Log1pCandidates = 3, int EnsembleSize = 4);

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
/// <remarks>
/// A stacked ensemble is scored as a candidate too: its <see cref="Members"/> are the candidates it combines, its learner
/// the <see cref="StackingLearner"/>, its pipeline the descriptors of its first member (which its applicability domain judges),
/// named after the members.
/// </remarks>
public sealed record PipelineScore(CandidatePipeline Pipeline, ILearner Learner, TargetTransform Transform, int Setting, int Components, double[] SettingRmse,
    RegressionStatistics Statistics, RegressionStatistics Spread, double[][] Predictions)
{
    /// <summary>The candidates a stacked ensemble combines, in the order of its weights; empty for a single model.</summary>
    public ImmutableArray<PipelineScore> Members { get; init; } = [];

    /// <summary>Pipeline, learner and, when not the measured scale, the transform, e.g. <c>snv pls log1p</c>.</summary>
    public string Name => Members.IsEmpty ? $"{Pipeline.Name} {Learner.Name}{(Transform == TargetTransform.Log1p ? " log1p" : "")}" : Pipeline.Name;
}

/// <summary>A member of a built ensemble: its candidate, fitted model and the PCA in front of it, if any.</summary>
public sealed record FittedMember(PipelineScore Score, LearnedModel Model, PcaArtefact? Pca);

/// <summary>A model fitted for one target: the chosen pipeline and learner, its artefacts and how every candidate scored.</summary>
/// <remarks>
/// <see cref="Interval"/> is the conformal half-width on the model's scale; <see cref="Quality"/> is indicative when the model is weak.
/// For an ensemble, <see cref="Model"/> is the <see cref="StackedModel"/> and <see cref="Members"/> the models it combines.
/// </remarks>
public sealed record BuiltModel(string Target, int Samples, int Groups, int Folds, int Repeats, PipelineScore Best, IReadOnlyList<PipelineScore> Scores,
    LearnedModel Model, PcaArtefact? Pca, DomainArtefact Domain, double DomainConfidence, double Min, double Max,
    IntervalSpec Interval, Prediction.PredictionQuality Quality)
{
    /// <summary>The fitted members of an ensemble, in the order of its weights; empty for a single model.</summary>
    public ImmutableArray<FittedMember> Members { get; init; } = [];
}

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
        if (_options.TryLog1p && y.Min() >= 0)
            foreach (var top in scores.OrderBy(s => s.Statistics.Rmse).Take(_options.Log1pCandidates).ToArray())
            {
                progress?.Report($"{target}: {top.Pipeline.Name} {top.Learner.Name} log1p");
                scores.Add(Score(top.Pipeline, top.Learner, TargetTransform.Log1p, Matrices.Select(Descriptors(top.Pipeline), rows), y, repeats));
            }
        var best = scores.MinBy(s => s.Statistics.Rmse)!;
        if (_options.EnsembleSize >= 2 && Ensemble(scores, y, repeats) is { } ensemble)
        {
            progress?.Report($"{target}: {ensemble.Name}");
            scores.Add(ensemble);
            if (ensemble.Statistics.Rmse < best.Statistics.Rmse) best = ensemble;
        }
        var members = best.Members.Select(m => Fit(m, rows, y)).ToImmutableArray();
        // An ensemble's weights come from its members' out-of-fold predictions; the domain judges the descriptors of its first member.
        var (model, pca) = members.IsEmpty ? Fit(best, rows, y) is var single ? (single.Model, single.Pca) : default
            : (best.Learner.Fit(Pooled(best.Members, y, out var pooledY), pooledY, 0), null);
        var domainPipeline = members.IsEmpty ? best.Pipeline : best.Members[0].Pipeline;
        var domainComponents = Math.Min((members.IsEmpty ? model : members[0].Model).Components, rows.Length - 2);
        var descriptors = Matrices.Select(Descriptors(domainPipeline), rows);
        var domain = ApplicabilityDomain.Fit(descriptors, domainComponents, confidence: _options.DomainConfidence);
        var z = Array.ConvertAll(y, v => best.Transform.Forward(v));
        var distances = OutOfFoldDistances(descriptors, domainComponents, repeats);
        return new BuiltModel(target, rows.Length, groups.Distinct().Count(), folds, repeats.Length, best, scores, model,
            pca, DomainArtefact.From(domain), _options.DomainConfidence, y.Min(), y.Max(),
            ConformalInterval.Calibrate(z, best.Predictions, distances, _options.IntervalLevel),
            Prediction.ModelSkill.Judge(best.Statistics.R2, best.Statistics.Rpiq))
        {
            Members = members,
        };
    }

    // A candidate fitted on every row: its PCA (if any) and model.
    private FittedMember Fit(PipelineScore score, int[] rows, double[] y)
    {
        var descriptors = Matrices.Select(Descriptors(score.Pipeline), rows);
        var pca = score.Pipeline.PcaComponents > 0 ? Pca.Fit(descriptors, Math.Min(score.Pipeline.PcaComponents, rows.Length - 1)) : null;
        var inputs = pca is null ? descriptors : pca.Transform(descriptors);
        var model = score.Learner.Fit(inputs, Array.ConvertAll(y, v => score.Transform.Forward(v)), score.Setting);
        return new FittedMember(score, model, pca is null ? null : PcaArtefact.From(pca));
    }

    /// <summary>
    /// Non-negative stacking of the best candidate of each of the best pipeline × learner pairs, scored honestly: in each
    /// repeat and fold the weights are fitted on the members' out-of-fold predictions of the other folds only, then
    /// applied to this fold's. Members' settings are chosen on the same folds, as every single candidate's are, so the
    /// ensemble competes with them on equal terms. Null when fewer than two candidates get a weight.
    /// </summary>
    private PipelineScore? Ensemble(List<PipelineScore> scores, double[] y, int[][][] repeats)
    {
        var candidates = scores.GroupBy(s => (s.Pipeline.Name, s.Learner.Name)).Select(g => g.MinBy(s => s.Statistics.Rmse)!)
            .OrderBy(s => s.Statistics.Rmse).Take(Math.Min(_options.EnsembleSize, NonNegativeLeastSquares.MaxColumns)).ToArray();
        if (candidates.Length < 2) return null;
        var stacking = new StackingLearner();
        var weights = ((StackedModel)stacking.Fit(Pooled(candidates, y, out var pooledY), pooledY, 0)).Weights;
        if (weights.Count(w => w > 0) < 2) return null;
        var predictions = new double[repeats.Length][];
        for (var r = 0; r < repeats.Length; r++)
        {
            var columns = Columns(candidates, r, y.Length);
            predictions[r] = new double[y.Length];
            foreach (var test in repeats[r])
            {
                var train = Enumerable.Range(0, y.Length).Except(test).ToArray();
                var fold = stacking.FitPredict(Matrices.Select(columns, train), Matrices.Select(y, train), Matrices.Select(columns, test), 1)[0];
                for (var i = 0; i < test.Length; i++) predictions[r][test[i]] = fold[i];
            }
        }
        var (mean, spread) = RepeatedStatistics.Summarise(predictions.Select(p => RegressionStatistics.Compute(y, p)).ToArray());
        // Members without weight add nothing to the final model's predictions: it keeps the others, in the order of their error.
        var members = candidates.Where((_, m) => weights[m] > 0).ToImmutableArray();
        var lead = members[0].Pipeline;
        var name = string.Join(" + ", members.Select(m => m.Name));
        return new PipelineScore(lead with { Name = name, PcaComponents = 0 }, stacking, TargetTransform.None, 0, members.Length, [mean.Rmse], mean, spread, predictions)
        {
            Members = members,
        };
    }

    // Out-of-fold predictions of the members in the target's unit, pooled over repeats: rows × members.
    private static double[][] Pooled(IReadOnlyList<PipelineScore> members, double[] y, out double[] pooledY)
    {
        var repeats = members[0].Predictions.Length;
        pooledY = [.. Enumerable.Repeat(y, repeats).SelectMany(v => v)];
        return [.. Enumerable.Range(0, repeats).SelectMany(r => Columns(members, r, y.Length))];
    }

    private static double[][] Columns(IReadOnlyList<PipelineScore> members, int repeat, int rows) =>
        [.. Enumerable.Range(0, rows).Select(i => members.Select(m => m.Transform.Inverse(m.Predictions[repeat][i])).ToArray())];

    /// <summary>
    /// Each row's distance from the applicability domain of the rows it was predicted from, in every repeat:
    /// √max(T²/T²limit, Q/Qlimit) of a domain fitted on the fold's training rows only.
    /// </summary>
    private double[][] OutOfFoldDistances(double[][] descriptors, int components, int[][][] repeats)
    {
        var distances = repeats.Select(_ => new double[descriptors.Length]).ToArray();
        var work = repeats.SelectMany((segments, r) => segments.Select(test => (Repeat: r, Test: test))).ToArray();
        Parallel.ForEach(work, item =>
        {
            var train = Enumerable.Range(0, descriptors.Length).Except(item.Test).ToArray();
            var domain = ApplicabilityDomain.Fit(Matrices.Select(descriptors, train), Math.Min(components, train.Length - 2), confidence: _options.DomainConfidence);
            foreach (var i in item.Test) distances[item.Repeat][i] = domain.Assess(descriptors[i]).Distance;
        });
        return distances;
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
