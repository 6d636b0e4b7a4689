using System.Text;
using MidirEdge.Models.Building;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Features;
using MidirEdge.Models.Prediction;
using MidirEdge.Spectra;

namespace MidirEdge.Models.Tests.Building;

public sealed class IntervalAndQualityTests
{
    [Fact]
    public void Log1p_is_tried_on_the_best_candidate_and_kept_only_when_cv_says_so()
    {
        var built = new ModelBuilder(YamsysTable.Table, "sample_id", new BuildOptions(Repeats: 2)).Build("ex_K", [CandidatePipeline.StandardNormalVariate]);
        var plain = Assert.Single(built.Scores, s => s.Transform == TargetTransform.None);
        var logged = Assert.Single(built.Scores, s => s.Transform == TargetTransform.Log1p);
        Assert.Equal(logged.Statistics.Rmse < plain.Statistics.Rmse ? logged : plain, built.Best);

        var (manifest, artefacts) = BundleComposer.Compose(new BundleIdentity("k", "k", "1.0.0"), YamsysTable.Table, "sample_id", [built], DateTimeOffset.UnixEpoch);
        var json = Encoding.UTF8.GetString(BundleWriter.Files(manifest, artefacts, null, out _)["manifest.json"]);
        if (built.Best.Transform == TargetTransform.Log1p) Assert.Contains("\"transform\": \"log1p\"", json);
        else Assert.DoesNotContain("\"transform\"", json);
        using var bundle = ModelBundle.Load(BundleWriter.Files(manifest, artefacts, null, out _), "memory");
        var pipeline = new FeaturePipeline(manifest.Models[0].Features, YamsysTable.Table.SpectrumAt(0));
        var z = built.Model.Predict(pipeline.Describe(YamsysTable.Table.SpectrumAt(5)));
        var prediction = Assert.Single(bundle.Predict(YamsysTable.Table.SpectrumAt(5)));
        Assert.Equal(built.Best.Transform.Inverse(z), prediction.Value, 1e-9);
        var interval = Assert.IsType<PredictionInterval>(prediction.Interval);
        var halfWidth = built.Interval.HalfWidths[0] * (1 + built.Interval.DomainSlope!.Value * prediction.Domain.Distance);
        // ex_K is a non-negative quantity: its lower bound stops at zero.
        Assert.Equal(Math.Max(Math.Min(0, prediction.Value), built.Best.Transform.Inverse(z - halfWidth)), interval.Lower, 1e-9);
        Assert.Equal(built.Best.Transform.Inverse(z + halfWidth), interval.Upper, 1e-9);
        Assert.Equal(0.9, interval.Level);
        // ex_K has no skill on these soils (CV R² about 0.1): its predictions are only indicative.
        Assert.Equal(PredictionQuality.Indicative, built.Quality);
        Assert.Equal(PredictionQuality.Indicative, prediction.Quality);
        Assert.Contains("\"quality\": \"indicative\"", json);
    }

    [Fact]
    public void An_interval_widens_with_the_distance_from_the_domain_and_far_out_there_is_none()
    {
        var built = new ModelBuilder(YamsysTable.Table, "sample_id", new BuildOptions(Repeats: 1, TryLog1p: false)).Build("ex_Ca", [CandidatePipeline.FirstDerivative]);
        var (manifest, artefacts) = BundleComposer.Compose(new BundleIdentity("ca", "ca", "1.0.0"), YamsysTable.Table, "sample_id", [built], DateTimeOffset.UnixEpoch);
        using var bundle = ModelBundle.Load(BundleWriter.Files(manifest, artefacts, null, out _), "memory");
        var inside = Assert.Single(bundle.Predict(YamsysTable.Table.SpectrumAt(3)));
        Assert.True(inside.InDomain);
        Assert.NotNull(inside.Interval);
        Assert.True(inside.Interval.Lower < inside.Value && inside.Value < inside.Interval.Upper);
        // ex_Ca's out-of-fold residuals grow with the distance from the domain, so the interval's scale does too.
        var slope = Assert.IsType<double>(built.Interval.DomainSlope);
        Assert.True(slope > 0, $"domain slope {slope}");

        var halfWidth = inside.Interval.Upper - inside.Value;
        Assert.Equal(built.Interval.HalfWidths[0] * (1 + slope * inside.Domain.Distance), halfWidth, 1e-9);
        var near = NearOutside(bundle);
        Assert.InRange(near.Domain.Distance, 1, 3);
        var widened = Assert.IsType<PredictionInterval>(near.Interval);
        Assert.Equal(built.Interval.HalfWidths[0] * (1 + slope * near.Domain.Distance), widened.Upper - near.Value, 1e-9);
        Assert.True(widened.Upper - near.Value > halfWidth);

        var far = Assert.Single(bundle.Predict(WithBand(YamsysTable.Table.SpectrumAt(3), 2.0)));
        Assert.False(far.InDomain);
        Assert.Null(far.Interval);
    }

    [Fact]
    public void An_old_interval_without_a_domain_slope_is_widened_by_the_distance_outside_the_domain_only()
    {
        var built = new ModelBuilder(YamsysTable.Table, "sample_id", new BuildOptions(Repeats: 1, TryLog1p: false)).Build("C", [CandidatePipeline.StandardNormalVariate]);
        var (manifest, artefacts) = BundleComposer.Compose(new BundleIdentity("c", "c", "1.0.0"), YamsysTable.Table, "sample_id", [built], DateTimeOffset.UnixEpoch);
        var old = manifest with { Models = [manifest.Models[0] with { Interval = new IntervalSpec(0.9, built.Interval.HalfWidths) }] };
        using var bundle = ModelBundle.Load(BundleWriter.Files(old, artefacts, null, out _), "old.zip");
        var inside = Assert.Single(bundle.Predict(YamsysTable.Table.SpectrumAt(3)));
        Assert.Equal(2 * built.Interval.HalfWidths[0], inside.Interval!.Upper - inside.Interval.Lower, 1e-9);
        var near = NearOutside(bundle);
        Assert.Equal(2 * built.Interval.HalfWidths[0] * near.Domain.Distance, near.Interval!.Upper - near.Interval.Lower, 1e-9);
    }

    // The prediction for the smallest band (of a doubling series) that takes a spectrum out of the domain.
    private static TargetPrediction NearOutside(ModelBundle bundle) =>
        Enumerable.Range(0, 10).Select(k => 0.005 * Math.Pow(2, k))
            .Select(h => Assert.Single(bundle.Predict(WithBand(YamsysTable.Table.SpectrumAt(3), h)))).First(p => !p.InDomain);

    // A Gaussian absorption band that no soil in the table has.
    private static Spectrum WithBand(Spectrum spectrum, double height)
    {
        var y = spectrum.Y.ToArray();
        for (var i = 0; i < y.Length; i++) y[i] += height * Math.Exp(-Math.Pow((i - 700) / 15.0, 2));
        return Spectrum.Create(spectrum.X.ToArray(), y, spectrum.XUnit, spectrum.YKind);
    }

    [Fact]
    public void An_old_bundle_without_a_quality_is_judged_from_its_statistics()
    {
        // The demo bundles as built before intervals and quality flags: the same manifests without those fields.
        using var exK = ModelBundle.Load(MidirEdge.Tests.DemoBundles.Edit(WithoutIntervalAndQuality, name: "demo-yamsys-ex_K.zip"), "old-ex_K.zip");
        using var c = ModelBundle.Load(MidirEdge.Tests.DemoBundles.Edit(WithoutIntervalAndQuality), "old-C.zip");
        Assert.Null(exK.Manifest.Models[0].Quality);
        var spectrum = YamsysTable.Table.SpectrumAt(0);
        Assert.Equal(PredictionQuality.Indicative, Assert.Single(exK.Predict(spectrum)).Quality);
        Assert.Equal(PredictionQuality.Quantitative, Assert.Single(c.Predict(spectrum)).Quality);
        Assert.Null(Assert.Single(c.Predict(spectrum)).Interval);
    }

    private static void WithoutIntervalAndQuality(System.Text.Json.Nodes.JsonObject manifest)
    {
        var model = manifest["models"]![0]!.AsObject();
        model.Remove("interval");
        model.Remove("quality");
    }

    [Fact]
    public void A_bad_interval_in_a_manifest_is_refused()
    {
        var built = new ModelBuilder(YamsysTable.Table, "sample_id", new BuildOptions(Repeats: 1, TryLog1p: false)).Build("N", [CandidatePipeline.StandardNormalVariate]);
        var (manifest, artefacts) = BundleComposer.Compose(new BundleIdentity("n", "n", "1.0.0"), YamsysTable.Table, "sample_id", [built], DateTimeOffset.UnixEpoch);
        foreach (var bad in new IntervalSpec[] { new(1.5, [0.1]), new(0.9, [0.1, 0.2]), new(0.9, [-1]), new(0.9, [0.1]) { DomainSlope = -0.5 } })
        {
            var altered = manifest with { Models = [manifest.Models[0] with { Interval = bad }] };
            var error = Assert.Throws<ModelException>(() => ModelBundle.Load(BundleWriter.Files(altered, artefacts, null, out _), "bad.zip"));
            Assert.Contains("interval", error.Message);
        }
    }
}
