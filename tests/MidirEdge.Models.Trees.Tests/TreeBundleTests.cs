using Microsoft.Extensions.Logging.Abstractions;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Domain;
using MidirEdge.Models.Features;
using MidirEdge.Models.Learners;
using MidirEdge.Models.Store;

namespace MidirEdge.Models.Trees.Tests;

public sealed class TreeBundleTests(TreeBundles bundles) : IClassFixture<TreeBundles>
{
    public static TheoryData<string> Learners() => ["gbt", "rf"];

    private static readonly int[] Rows = [0, 57, 130, 223];

    [Theory]
    [MemberData(nameof(Learners))]
    public void A_tree_model_round_trips_through_a_bundle_and_predicts_on_the_device_what_it_predicted_at_build_time(string learner)
    {
        var built = bundles.Get(learner);
        Assert.Equal("trees", built.Model.Model.Kind);
        Assert.Equal("trees", built.Manifest.Models[0].Model.Kind);
        Assert.Equal("C.trees.json", built.Manifest.Models[0].Model.File);
        Assert.Equal(learner, built.Manifest.Models[0].Training!.Learner);
        using var bundle = ModelBundle.Load(built.Path);
        var pipeline = Pipeline(built);
        foreach (var row in Rows)
        {
            var spectrum = TreeBundles.Table.SpectrumAt(row);
            var atBuild = built.Model.Model.Predict(pipeline.ToModelInput(pipeline.Describe(spectrum)));
            // The builder's model is the exported graph in the same ONNX Runtime: the very same arithmetic.
            Assert.Equal(atBuild, Assert.Single(bundle.Predict(spectrum)).Value);
        }
    }

    [Theory]
    [MemberData(nameof(Learners))]
    public void The_exported_graph_predicts_what_ML_NET_predicts_to_float_precision(string learner)
    {
        var built = bundles.Get(learner);
        var pipeline = Pipeline(built);
        var (rows, y) = Measured("C");
        var inputs = rows.Select(r => pipeline.ToModelInput(pipeline.Describe(TreeBundles.Table.SpectrumAt(r)))).ToArray();
        var setting = built.Model.Best.Setting;
        // The final fit again with ML.NET (same rows, seed and setting), predicting the training rows themselves.
        var mlNet = TreeBundles.Learner(learner).FitPredict(inputs, y, inputs, setting + 1)[setting];
        var scale = y.Max(Math.Abs);
        for (var i = 0; i < inputs.Length; i++)
            Assert.Equal(mlNet[i], built.Model.Model.Predict(inputs[i]), scale * Tolerance);
    }

    /// <summary>
    /// Both sides compare the same float32 features with the same float32 thresholds, so they choose the same leaves;
    /// the sums differ only in rounding: ML.NET adds double leaf values and rounds once, ONNX Runtime adds float leaf
    /// values, each within 2⁻²⁴ relative. A few dozen to hundreds of trees stay far below 1e-5 of the target's scale.
    /// </summary>
    private const double Tolerance = 1e-5;

    [Theory]
    [MemberData(nameof(Learners))]
    public void Cross_validation_scores_every_setting_repeatably_and_beats_the_mean(string learner)
    {
        var built = bundles.Get(learner);
        var score = Assert.Single(built.Model.Scores);
        Assert.Equal(learner, score.Learner.Name);
        Assert.Equal(2, score.SettingRmse.Length);
        Assert.All(score.Predictions.SelectMany(p => p), v => Assert.True(double.IsFinite(v)));
        var (_, y) = Measured("C");
        var mean = y.Average();
        var sd = Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)) / (y.Length - 1));
        Assert.InRange(score.Statistics.Rmse, 0, 0.8 * sd);
        var again = new Building.ModelBuilder(TreeBundles.Table, "sample_id", TreeBundles.Options).Build("C", [TreeBundles.Pipeline], [TreeBundles.Learner(learner)]);
        Assert.Equal(score.SettingRmse, again.Best.SettingRmse);
        (again.Model as IDisposable)?.Dispose();
    }

    [Fact]
    public void A_trees_bundle_loads_in_the_model_store_whose_assembly_does_not_reference_ML_NET()
    {
        var references = typeof(ModelBundle).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.ML", StringComparison.Ordinal) && name != "Microsoft.ML.OnnxRuntime");
        Assert.Contains(typeof(GbtLearner).Assembly.GetReferencedAssemblies(), a => a.Name == "Microsoft.ML.FastTree");

        var built = bundles.Get("gbt");
        var directory = Directory.CreateTempSubdirectory("midir-store-").FullName;
        try
        {
            using (var store = new ModelStore(directory, BundleTrust.None, NullLogger<ModelStore>.Instance))
            {
                store.Install(built.Path);
                var active = Assert.Single(store.Active);
                Assert.Equal("trees-gbt", active.Id);
                var spectrum = TreeBundles.Table.SpectrumAt(57);
                using var direct = ModelBundle.Load(built.Path);
                Assert.Equal(direct.Predict(spectrum)[0].Value, active.Predict(spectrum)[0].Value);
            }
            // A restarted store finds and loads it again from its directory.
            using var reopened = new ModelStore(directory, BundleTrust.None, NullLogger<ModelStore>.Instance);
            reopened.Reload();
            Assert.Equal("trees-gbt", Assert.Single(reopened.Active).Id);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_trees_artefact_whose_graph_is_not_ONNX_refuses_the_bundle_naming_the_file()
    {
        var built = bundles.Get("gbt");
        var artefacts = new Dictionary<string, byte[]>(built.Artefacts)
        {
            ["C.trees.json"] = BundleWriter.ToJson(new TreeEnsembleArtefact(10, "Features", "Score.output", "not a graph"u8.ToArray())),
        };
        var files = BundleWriter.Files(built.Manifest, artefacts, null, out _);
        var error = Assert.Throws<ModelException>(() => ModelBundle.Load(files, "hostile.zip"));
        Assert.Contains("C.trees.json", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static FeaturePipeline Pipeline(TreeBundles.Built built)
    {
        var pca = ((PcaArtefact)built.Model.Pca!).ToPca();
        return new FeaturePipeline(built.Manifest.Models[0].Features, TreeBundles.Table.SpectrumAt(0), pca);
    }

    private static (int[] Rows, double[] Y) Measured(string target)
    {
        var values = TreeBundles.Table.Column(target).Values;
        var rows = Enumerable.Range(0, TreeBundles.Table.RowCount).Where(r => values[r] is double v && double.IsFinite(v)).ToArray();
        return (rows, rows.Select(r => (double)values[r]!).ToArray());
    }
}
