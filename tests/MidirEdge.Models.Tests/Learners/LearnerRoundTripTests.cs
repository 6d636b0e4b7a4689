using MidirEdge.Models.Building;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Features;
using MidirEdge.Models.Learners;
using MidirEdge.Models.Tests.Building;

namespace MidirEdge.Models.Tests.Learners;

public sealed class LearnerRoundTripTests
{
    public static TheoryData<string> Kinds() => ["pls", "mbl", "gpr"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_learner_round_trips_through_a_bundle_and_predicts_on_the_device_what_it_predicted_at_build_time(string kind)
    {
        var table = YamsysTable.Table;
        var built = new ModelBuilder(table, "sample_id", new BuildOptions(Repeats: 1)).Build("C", [CandidatePipeline.StandardNormalVariate], [Learner(kind)]);
        Assert.Equal(kind, built.Model.Kind);
        var (manifest, artefacts) = BundleComposer.Compose(new BundleIdentity($"rt-{kind}", kind, "1.0.0"), table, "sample_id", [built], DateTimeOffset.UnixEpoch);
        Assert.Equal(kind, manifest.Models[0].Model.Kind);
        Assert.Equal(kind, manifest.Models[0].Training!.Learner);
        var path = Path.Combine(Path.GetTempPath(), $"bundle-{Guid.NewGuid():N}.zip");
        try
        {
            BundleWriter.WriteZip(path, manifest, artefacts);
            using var bundle = ModelBundle.Load(path);
            var pipeline = new FeaturePipeline(manifest.Models[0].Features, table.SpectrumAt(0));
            foreach (var row in new[] { 0, 57, 130, 223 })
            {
                var atBuild = built.Best.Transform.Inverse(built.Model.Predict(pipeline.Describe(table.SpectrumAt(row))));
                var onDevice = Assert.Single(bundle.Predict(table.SpectrumAt(row))).Value;
                Assert.Equal(atBuild, onDevice, Math.Abs(atBuild) * 1e-9);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static ILearner Learner(string kind) => kind switch
    {
        "pls" => new PlsLearner(),
        "mbl" => new MblLearner([60], 3, 10),
        "gpr" => new GprLearner([10]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
