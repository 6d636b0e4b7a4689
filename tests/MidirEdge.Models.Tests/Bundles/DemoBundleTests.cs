using System.Text.Json;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Features;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;

namespace MidirEdge.Models.Tests.Bundles;

public sealed class DemoBundleTests
{
    public static TheoryData<string> DemoBundles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Fixtures.RepositoryPath("demo/models"), "*.zip").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void The_seven_demo_targets_ship()
    {
        Assert.Equal(["demo-yamsys-C.zip", "demo-yamsys-CEC_eff.zip", "demo-yamsys-N.zip", "demo-yamsys-clay.zip", "demo-yamsys-ex_Ca.zip", "demo-yamsys-ex_K.zip", "demo-yamsys-pH.zip"],
            Directory.GetFiles(Fixtures.RepositoryPath("demo/models"), "*.zip").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(DemoBundles))]
    public void A_demo_bundle_predicts_its_back_transformed_pls_or_stack_of_pls_with_its_interval(string name)
    {
        var files = MidirEdge.Tests.DemoBundles.Files(name);
        using var bundle = ModelBundle.Load(files, name);
        var entry = Assert.Single(bundle.Manifest.Models);
        Assert.Contains(entry.Model.Kind, new[] { "pls", "ensemble" });
        var interval = Assert.IsType<IntervalSpec>(entry.Interval);
        Assert.Equal(0.9, interval.Level);
        var slope = Assert.IsType<double>(interval.DomainSlope);
        Assert.NotNull(entry.Quality);
        var transform = entry.Model.Transform ?? TargetTransform.None;
        var table = Building.YamsysTable.Table;
        foreach (var row in new[] { 0, 111 })
        {
            var z = ByHand(files, entry.Features, entry.Model, table.SpectrumAt(row));
            var prediction = Assert.Single(bundle.Predict(table.SpectrumAt(row)));
            Assert.Equal(transform.Inverse(z), prediction.Value, Math.Abs(prediction.Value) * 1e-9 + 1e-12);
            Assert.True(prediction.InDomain);
            var bounds = Assert.IsType<Prediction.PredictionInterval>(prediction.Interval);
            // The half-width grows with the distance from the domain's centre, d = √max(T²/T²limit, Q/Qlimit).
            var d = Math.Sqrt(Math.Max(prediction.Domain.T2 / prediction.Domain.T2Limit, prediction.Domain.Q / prediction.Domain.QLimit));
            var halfWidth = interval.HalfWidths[0] * (1 + slope * d);
            // Every demo target is a non-negative quantity: no negative lower bound below a non-negative prediction.
            var lower = Math.Max(Math.Min(0, prediction.Value), transform.Inverse(z - halfWidth));
            Assert.Equal(lower, bounds.Lower, Math.Abs(bounds.Lower) * 1e-9 + 1e-12);
            Assert.Equal(transform.Inverse(z + halfWidth), bounds.Upper, Math.Abs(bounds.Upper) * 1e-9 + 1e-12);
        }
    }

    /// <summary>ex_Ca's interval would reach below zero for soils poor in calcium; a concentration's bound stops at zero.</summary>
    [Fact]
    public void A_non_negative_target_gets_no_negative_lower_bound()
    {
        using var bundle = ModelBundle.Load(MidirEdge.Tests.DemoBundles.Files("demo-yamsys-ex_Ca.zip"), "ex_Ca");
        var table = Building.YamsysTable.Table;
        var predictions = Enumerable.Range(0, table.RowCount).Select(row => Assert.Single(bundle.Predict(table.SpectrumAt(row))))
            .Where(p => p.Interval is not null).ToList();
        Assert.All(predictions, p => Assert.True(p.Interval!.Lower >= Math.Min(0, p.Value)));
        Assert.Contains(predictions, p => p.Interval!.Lower == 0 && p.Value > 0);
    }

    [Theory]
    [MemberData(nameof(DemoBundles))]
    public void A_demo_bundle_built_before_intervals_still_predicts_its_linear_model_with_no_interval(string name)
    {
        // The manifest as the first demo bundles had it: no transform (of the model or of an ensemble's members), interval or quality.
        var files = MidirEdge.Tests.DemoBundles.Edit(m =>
        {
            var model = m["models"]![0]!.AsObject();
            model.Remove("interval");
            model.Remove("quality");
            model["model"]!.AsObject().Remove("transform");
            foreach (var member in model["model"]!["members"]?.AsArray() ?? []) member!["model"]!.AsObject().Remove("transform");
        }, name: name);
        using var bundle = ModelBundle.Load(files, name);
        var entry = Assert.Single(bundle.Manifest.Models);
        var table = Building.YamsysTable.Table;
        var expected = ByHand(files, entry.Features, entry.Model, table.SpectrumAt(0));
        var prediction = Assert.Single(bundle.Predict(table.SpectrumAt(0)));
        Assert.Equal(expected, prediction.Value, Math.Abs(expected) * 1e-9 + 1e-12);
        Assert.Null(prediction.Interval);
    }

    [Theory]
    [MemberData(nameof(DemoBundles))]
    public void A_demo_bundle_loads_and_predicts_a_real_opus_file(string name)
    {
        using var bundle = ModelBundle.Load(Fixtures.RepositoryPath($"demo/models/{name}"));
        var training = Assert.Single(bundle.Manifest.Models).Training!;
        Assert.InRange(training.Groups, 60, 74);
        Assert.Contains("grouped 5-fold", training.Validation);
        var stats = Assert.Single(training.Statistics).Value;
        Assert.True(stats.Rmse > 0 && double.IsFinite(stats.R2));

        var opus = OpusReader.Read(Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1"), "BF_lo_01_soil_cal.1");
        var prediction = Assert.Single(bundle.Predict(opus.FindData("ab")!.Spectrum));
        var target = Assert.Single(bundle.Manifest.Targets);
        Assert.Equal(target.Name, prediction.Target);
        Assert.True(double.IsFinite(prediction.Value));
        Assert.True(prediction.InDomain, $"{name}: T² {prediction.Domain.T2:G3}/{prediction.Domain.T2Limit:G3}, Q {prediction.Domain.Q:G3}/{prediction.Domain.QLimit:G3}");
    }

    /// <summary>
    /// A model's output on its own scale, from its artefacts: a PLS's intercept + x·b on its pipeline's model input, or an
    /// ensemble's intercept + Σ weight·(its members' back-transformed outputs). The spectrum is already on the bundle's grid.
    /// </summary>
    private static double ByHand(Dictionary<string, byte[]> files, FeatureSpec features, ModelSpec model, Spectra.Spectrum spectrum)
    {
        if (model.Kind == "ensemble")
        {
            var weights = Artefact<LinearModelArtefact>(files, model.File);
            var members = model.Members!.Value;
            Assert.Equal(members.Length, weights.Coefficients[0].Length);
            return weights.Intercepts[0] + members.Select((member, m) =>
                weights.Coefficients[0][m] * (member.Model.Transform ?? TargetTransform.None).Inverse(ByHand(files, member.Features, member.Model, spectrum))).Sum();
        }
        Assert.Equal("pls", model.Kind);
        var linear = Artefact<LinearModelArtefact>(files, model.File);
        var pca = features.PcaFile is { } pcaFile ? Artefact<PcaArtefact>(files, pcaFile).ToPca() : null;
        var pipeline = new FeaturePipeline(features, Building.YamsysTable.Table.SpectrumAt(0), pca);
        var input = pipeline.ToModelInput(pipeline.Describe(spectrum));
        return linear.Intercepts[0] + input.Select((v, i) => v * linear.Coefficients[0][i]).Sum();
    }

    private static T Artefact<T>(Dictionary<string, byte[]> files, string name) => JsonSerializer.Deserialize<T>(files[name], BundleManifest.JsonOptions)!;
}
