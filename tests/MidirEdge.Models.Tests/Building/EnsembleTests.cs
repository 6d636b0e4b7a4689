using System.Collections.Immutable;
using System.Text;
using MidirEdge.Models.Building;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Features;
using MidirEdge.Models.Learners;
using MidirEdge.Models.Pls;

namespace MidirEdge.Models.Tests.Building;

public sealed class EnsembleTests
{
    // ex_Ca on two pipelines whose errors differ where it matters: stacking both beats either (measured, 2 × 5 folds).
    private static readonly Lazy<BuiltModel> ExCa = new(() => new ModelBuilder(YamsysTable.Table, "sample_id", new BuildOptions(Repeats: 2))
        .Build("ex_Ca", [CandidatePipeline.FirstDerivative, CandidatePipeline.SmoothedStandardNormalVariate]));

    [Fact]
    public void Stacking_weights_solve_non_negative_least_squares()
    {
        var random = new Random(7);
        var x = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 4).Select(_ => random.NextDouble()).ToArray()).ToArray();
        var y = x.Select(r => 1.5 * r[0] + 0.5 * r[1] - 1.0 * r[2] + 0.2 * r[3] + 0.05 * (random.NextDouble() - 0.5)).ToArray();
        var w = ((StackedModel)new StackingLearner().Fit(x, y, 0)).Weights;
        // Karush–Kuhn–Tucker: every weight ≥ 0; the gradient Xᵀ(Xw − y) vanishes where a weight is positive and is ≥ 0 where it is zero.
        var residual = x.Select((r, i) => r.Select((v, j) => v * w[j]).Sum() - y[i]).ToArray();
        for (var j = 0; j < 4; j++)
        {
            var gradient = x.Select((r, i) => r[j] * residual[i]).Sum();
            Assert.True(w[j] >= 0);
            if (w[j] > 0) Assert.True(Math.Abs(gradient) < 1e-9, $"gradient {gradient} at weight {j}");
            else Assert.True(gradient >= -1e-9, $"gradient {gradient} at zero weight {j}");
        }
        Assert.Equal(0, w[2]);
        Assert.True(w[0] > 1);
    }

    [Fact]
    public void The_ensemble_is_scored_on_each_fold_with_weights_fitted_on_the_other_folds_only()
    {
        var built = ExCa.Value;
        var ensemble = Assert.Single(built.Scores, s => !s.Members.IsEmpty);
        var (_, y, groups) = YamsysTable.Measured("ex_Ca");
        // The candidates it stacked: the best scale of each pipeline × learner, best first.
        var candidates = built.Scores.Where(s => s.Members.IsEmpty).GroupBy(s => (s.Pipeline.Name, s.Learner.Name))
            .Select(g => g.MinBy(s => s.Statistics.Rmse)!).OrderBy(s => s.Statistics.Rmse).ToArray();
        for (var r = 0; r < 2; r++)
        {
            var columns = y.Select((_, i) => candidates.Select(c => c.Transform.Inverse(c.Predictions[r][i])).ToArray()).ToArray();
            foreach (var test in CrossValidationSegments.GroupedKFold(groups, 5, new BuildOptions().Seed + r))
            {
                var train = Enumerable.Range(0, y.Length).Except(test).ToArray();
                var weights = ((StackedModel)new StackingLearner().Fit([.. train.Select(i => columns[i])], [.. train.Select(i => y[i])], 0)).Weights;
                foreach (var i in test)
                    Assert.Equal(columns[i].Select((v, m) => v * weights[m]).Sum(), ensemble.Predictions[r][i], 1e-9);
            }
        }
        var perRepeat = ensemble.Predictions.Select(p => RegressionStatistics.Compute(y, p).Rmse).ToArray();
        Assert.Equal(perRepeat.Average(), ensemble.Statistics.Rmse, 1e-9);
    }

    [Fact]
    public void An_ensemble_bundle_predicts_what_the_builder_fitted()
    {
        var built = ExCa.Value;
        Assert.False(built.Best.Members.IsEmpty, $"the best ex_Ca candidate was {built.Best.Name}");
        Assert.True(built.Best.Statistics.Rmse < built.Scores.Where(s => s.Members.IsEmpty).Min(s => s.Statistics.Rmse));
        Assert.Equal(built.Best.Members.Length, built.Members.Length);
        var (manifest, artefacts) = BundleComposer.Compose(new BundleIdentity("ca", "ca", "1.0.0"), YamsysTable.Table, "sample_id", [built], DateTimeOffset.UnixEpoch);
        var files = BundleWriter.Files(manifest, artefacts, null, out _);
        var json = Encoding.UTF8.GetString(files["manifest.json"]);
        Assert.Contains("\"kind\": \"ensemble\"", json);
        Assert.Contains("\"members\"", json);
        Assert.Equal("stack", manifest.Models[0].Training!.Learner);
        using var bundle = ModelBundle.Load(files, "memory");

        var weights = ((StackedModel)built.Model).Weights;
        var probe = YamsysTable.Table.SpectrumAt(0);
        foreach (var row in new[] { 0, 41, 150 })
        {
            var spectrum = YamsysTable.Table.SpectrumAt(row);
            var expected = built.Members.Select((member, m) =>
            {
                var pipeline = new FeaturePipeline(member.Score.Pipeline.Features, probe, member.Pca?.ToPca());
                return weights[m] * member.Score.Transform.Inverse(member.Model.Predict(pipeline.ToModelInput(pipeline.Describe(spectrum))));
            }).Sum();
            Assert.Equal(expected, Assert.Single(bundle.Predict(spectrum)).Value, 1e-9);
        }
    }

    [Fact]
    public void An_ensemble_that_nests_lists_no_members_or_weighs_another_count_is_refused()
    {
        var built = ExCa.Value;
        var (manifest, artefacts) = BundleComposer.Compose(new BundleIdentity("ca", "ca", "1.0.0"), YamsysTable.Table, "sample_id", [built], DateTimeOffset.UnixEpoch);
        var model = manifest.Models[0].Model;
        var members = model.Members!.Value;
        var nested = members.SetItem(0, members[0] with { Model = model });
        foreach (var (bad, reason) in new (ModelSpec, string)[]
        {
            (model with { Members = nested }, "models[0].model.members[0].model is an ensemble itself"),
            (model with { Members = ImmutableArray<MemberSpec>.Empty }, "models[0].model.members lists no members"),
            (model with { Members = null }, "models[0].model.members is missing"),
            (model with { Members = members.RemoveAt(0) }, $"the ensemble weighs {members.Length} members but lists {members.Length - 1}"),
            (members[0].Model with { Members = members }, "models[0].model.members belong to an ensemble, not a 'pls' model"),
        })
        {
            var altered = manifest with { Models = [manifest.Models[0] with { Model = bad }] };
            var error = Assert.Throws<ModelException>(() => ModelBundle.Load(BundleWriter.Files(altered, artefacts, null, out _), "bad.zip"));
            Assert.Contains(reason, error.Message);
        }
    }
}
