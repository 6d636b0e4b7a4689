using MidirEdge.Models.Bundles;
using MidirEdge.Models.Domain;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Preprocessing;
using MidirEdge.Tests;

namespace MidirEdge.Models.Tests.Bundles;

/// <summary>A bundle whose model is an ONNX network (a real PLS of soil C exported to ONNX) predicts what ONNX Runtime says.</summary>
public sealed class OnnxBundleTests(YamsysBundle yamsys) : IClassFixture<YamsysBundle>
{
    [Fact]
    public void An_onnx_bundle_reproduces_the_reference_outputs()
    {
        using var reference = Fixtures.ReadJson("reference/onnx/pls_C_raw.expected.json.gz");
        var inputs = reference.RootElement.GetProperty("inputs").GetProperty("spectrum").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var expected = reference.RootElement.GetProperty("expected").GetProperty("C").EnumerateArray()
            .Select(v => v.ValueKind == System.Text.Json.JsonValueKind.Array ? v[0].GetDouble() : v.GetDouble()).ToArray();
        var domain = ApplicabilityDomain.Fit(yamsys.Table.Values, 8);
        var manifest = yamsys.Manifest with
        {
            Id = "onnx-C",
            Targets = [new TargetInfo("C", "g/kg")],
            Models =
            [
                new ModelEntry
                {
                    Targets = ["C"],
                    Features = new FeatureSpec(new PreprocessingPipeline([])),
                    Model = new ModelSpec("onnx", "pls_C_raw.onnx", "spectrum", [new OutputMapping("C", OutputName(), 0)]),
                    Domain = new DomainSpec("C.domain.json"),
                },
            ],
        };
        var artefacts = new Dictionary<string, byte[]>
        {
            ["pls_C_raw.onnx"] = Fixtures.ReadBytes("reference/onnx/pls_C_raw.onnx"),
            ["C.domain.json"] = BundleWriter.ToJson(DomainArtefact.From(domain)),
        };

        using var bundle = ModelBundle.Load(BundleWriter.Files(manifest, artefacts, null, out _), "onnx-bundle");

        for (var r = 0; r < inputs.Length; r++)
        {
            var spectrum = new Spectrum(yamsys.Table.X, [.. inputs[r]], XUnit.Wavenumber, YKind.Absorbance);
            var prediction = Assert.Single(bundle.Predict(spectrum));
            Assert.Equal(expected[r], prediction.Value, 1e-5 * Math.Max(1, Math.Abs(expected[r])));
        }
    }

    private static string OutputName()
    {
        using var model = MidirEdge.Models.Onnx.OnnxModel.Load(Fixtures.Path("reference/onnx/pls_C_raw.onnx"));
        return Assert.Single(model.Outputs).Name;
    }
}
