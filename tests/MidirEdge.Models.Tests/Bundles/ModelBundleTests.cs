using System.IO.Compression;
using System.Security.Cryptography;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Prediction;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Spectra.Preprocessing;
using MidirEdge.Tests;

namespace MidirEdge.Models.Tests.Bundles;

public sealed class ModelBundleTests(YamsysBundle yamsys) : IClassFixture<YamsysBundle>
{
    [Fact]
    public void A_written_zip_loads_and_predicts_what_the_linear_model_says()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bundle-{Guid.NewGuid():N}.zip");
        try
        {
            BundleWriter.WriteZip(path, yamsys.Manifest, yamsys.Artefacts);
            using var bundle = ModelBundle.Load(path);
            Assert.Equal("test-yamsys", bundle.Id);
            Assert.Equal("1.2.3", bundle.Version);
            Assert.False(bundle.IsSigned);

            var row = 7;
            var predictions = bundle.Predict(yamsys.Table.SpectrumAt(row));
            Assert.Equal(["C", "N"], predictions.Select(p => p.Target));
            Assert.Equal("g/kg", predictions[0].Unit);
            for (var t = 0; t < 2; t++)
            {
                var model = Assert.IsType<MidirEdge.Models.Learners.PlsLearnedModel>(yamsys.Built[t].Model).Artefact;
                var snv = new double[yamsys.Table.X.Length];
                Snv.Transform(yamsys.Table.Values[row], snv);
                var expected = model.Intercepts[0];
                for (var i = 0; i < snv.Length; i++) expected += snv[i] * model.Coefficients[0][i];
                Assert.Equal(yamsys.Built[t].Best.Transform.Inverse(expected), predictions[t].Value, 1e-9);
                Assert.True(predictions[t].InDomain);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_opus_file_predicts_as_its_table_row()
    {
        using var bundle = ModelBundle.Load(yamsys.Files(), "memory");
        var opus = OpusReader.Read(Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1"), "BF_lo_01_soil_cal.1");
        var fromFile = bundle.Predict(opus.FindData("ab")!.Spectrum);
        var row = yamsys.Table.RowIds.IndexOf("BF_lo_01_soil_cal.1");
        var fromTable = bundle.Predict(yamsys.Table.SpectrumAt(row));
        for (var t = 0; t < fromFile.Count; t++)
            Assert.Equal(fromTable[t].Value, fromFile[t].Value, Math.Abs(fromTable[t].Value) * 1e-4);
    }

    [Fact]
    public void A_tampered_artefact_is_refused()
    {
        var files = yamsys.Files();
        files["C.pls.json"] = (byte[])files["C.pls.json"].Clone();
        files["C.pls.json"][100] ^= 0x01;
        var error = Assert.Throws<ModelException>(() => ModelBundle.Load(files, "tampered.zip"));
        Assert.Contains("C.pls.json", error.Message);
        Assert.Contains("altered", error.Message);
    }

    [Fact]
    public void A_tampered_zip_on_disk_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bundle-{Guid.NewGuid():N}.zip");
        try
        {
            BundleWriter.WriteZip(path, yamsys.Manifest, yamsys.Artefacts);
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                zip.GetEntry("N.pls.json")!.Delete();
                using var writer = new StreamWriter(zip.CreateEntry("N.pls.json").Open());
                writer.Write("{\"algorithm\":\"kernel\",\"components\":1,\"coefficients\":[[0]],\"intercepts\":[42]}");
            }
            Assert.Throws<ModelException>(() => ModelBundle.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Unlisted_and_missing_files_are_refused()
    {
        var extra = yamsys.Files();
        extra["payload.sh"] = "echo hi"u8.ToArray();
        Assert.Contains("not listed", Assert.Throws<ModelException>(() => ModelBundle.Load(extra, "extra")).Message);

        var missing = yamsys.Files();
        missing.Remove("N.domain.json");
        Assert.Contains("missing", Assert.Throws<ModelException>(() => ModelBundle.Load(missing, "missing")).Message);
    }

    [Fact]
    public void Signatures_are_verified_against_trusted_keys()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var trust = BundleTrust.FromPem([key.ExportSubjectPublicKeyInfoPem()], requireSignature: true);

        using (var signed = ModelBundle.Load(yamsys.Files(key), "signed", trust)) Assert.True(signed.IsSigned);
        Assert.Contains("not signed", Assert.Throws<ModelException>(() => ModelBundle.Load(yamsys.Files(), "unsigned", trust)).Message);
        Assert.Contains("does not verify", Assert.Throws<ModelException>(() => ModelBundle.Load(yamsys.Files(stranger), "stranger", trust)).Message);

        var altered = yamsys.Files(key);
        altered["manifest.json"] = System.Text.Encoding.UTF8.GetBytes(
            System.Text.Encoding.UTF8.GetString(altered["manifest.json"]).Replace("\"1.2.3\"", "\"9.9.9\""));
        Assert.Throws<ModelException>(() => ModelBundle.Load(altered, "altered", trust));
    }

    [Fact]
    public void A_spectrum_outside_the_contract_is_refused_with_the_reason()
    {
        using var bundle = ModelBundle.Load(yamsys.Files(), "bundle");
        var spectrum = yamsys.Table.SpectrumAt(0);

        var narrow = new Trim([new XRange(600, 4000)]).Apply(spectrum);
        var error = Assert.Throws<InputContractException>(() => bundle.Predict(narrow));
        Assert.Equal("bundle: spectrum covers 601.6–3997.4 cm⁻¹; model needs 499.7–3997.4 cm⁻¹", error.Message);

        var y = spectrum.Y.ToArray();
        y[10] = double.NaN;
        Assert.Contains("non-finite", Assert.Throws<InputContractException>(() => bundle.Predict(spectrum.WithY(y))).Message);

        var transmittance = spectrum.WithY(spectrum.Y.ToArray(), YKind.Transmittance);
        Assert.Contains("holds transmittance; model needs absorbance",
            Assert.Throws<InputContractException>(() => bundle.Predict(transmittance)).Message);
    }

    [Fact]
    public void A_foreign_spectrum_is_flagged_outside_the_domain()
    {
        using var bundle = ModelBundle.Load(yamsys.Files(), "bundle");
        var spectrum = yamsys.Table.SpectrumAt(3);
        var y = spectrum.Y.ToArray();
        for (var i = 0; i < y.Length; i++) y[i] += 0.8 * Math.Exp(-Math.Pow((spectrum.X[i] - 2250) / 40, 2));
        var predictions = bundle.Predict(spectrum.WithY(y));
        Assert.All(predictions, p => Assert.False(p.InDomain));
        Assert.All(predictions, p => Assert.True(p.Domain.Q > p.Domain.QLimit));
    }

    [Fact]
    public void Concurrent_predictions_equal_sequential_ones()
    {
        using var bundle = ModelBundle.Load(yamsys.Files(), "bundle");
        var expected = Enumerable.Range(0, 32).Select(r => bundle.Predict(yamsys.Table.SpectrumAt(r))[0].Value).ToArray();
        var actual = new double[32];
        Parallel.For(0, 32, r => actual[r] = bundle.Predict(yamsys.Table.SpectrumAt(r))[0].Value);
        Assert.Equal(expected, actual);
    }
}
