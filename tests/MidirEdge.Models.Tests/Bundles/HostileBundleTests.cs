using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MidirEdge.Models.Bundles;
using MidirEdge.Tests;

namespace MidirEdge.Models.Tests.Bundles;

/// <summary>
/// The real C bundle (a stacked ensemble of three PLS members) with a malformed, traversing or oversized manifest or artefact:
/// refused with one line naming the field, never a crash. What an ensemble member carries is attacked there too.
/// </summary>
public sealed class HostileBundleTests
{
    public static TheoryData<string, string> NullFields() => new()
    {
        { "files", "manifest.json: files is missing" },
        { "input", "manifest.json: input is missing" },
        { "domain", "manifest.json: models[0].domain is missing" },
        { "targets[0]", "manifest.json: targets[0] is missing" },
        { "models[0]", "manifest.json: models[0] is missing" },
        { "id", "manifest.json: id is missing" },
        { "model", "manifest.json: models[0].model is missing" },
        { "features", "manifest.json: models[0].features is missing" },
        { "grid", "manifest.json: input.grid is missing" },
    };

    [Theory]
    [MemberData(nameof(NullFields))]
    public void A_null_field_is_refused_naming_it(string field, string reason)
    {
        var files = DemoBundles.Edit(m => SetNull(m, field));
        var error = Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip"));
        Assert.Equal($"C.zip: {reason}", error.Message);
    }

    [Theory]
    [MemberData(nameof(NullFields))]
    public void A_signed_bundle_with_a_null_field_is_refused_naming_it(string field, string reason)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var trust = BundleTrust.FromPem([key.ExportSubjectPublicKeyInfoPem()], requireSignature: true);
        var error = Assert.Throws<ModelException>(() => ModelBundle.Load(DemoBundles.Edit(m => SetNull(m, field), key), "C.zip", trust));
        Assert.Equal($"C.zip: {reason}", error.Message);
    }

    [Theory]
    [MemberData(nameof(NullFields))]
    public void An_unsigned_malformed_bundle_is_refused_for_its_signature_before_its_manifest_is_read(string field, string reason)
    {
        _ = reason;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var trust = BundleTrust.FromPem([key.ExportSubjectPublicKeyInfoPem()], requireSignature: true);
        Assert.Equal("C.zip: the bundle is not signed and a signature is required",
            Assert.Throws<ModelException>(() => ModelBundle.Load(DemoBundles.Edit(m => SetNull(m, field)), "C.zip", trust)).Message);
        Assert.Equal("C.zip: the signature does not verify with any trusted key",
            Assert.Throws<ModelException>(() => ModelBundle.Load(DemoBundles.Edit(m => SetNull(m, field), stranger), "C.zip", trust)).Message);
    }

    [Theory]
    [InlineData("files", "5", "manifest.json: files has the wrong type")]
    [InlineData("models", "{}", "manifest.json: models has the wrong type")]
    [InlineData("grid", "\"4000..500\"", "manifest.json: input.grid has the wrong type")]
    [InlineData("domain", "{\"confidence\":0.99}", "manifest.json: models[0].domain.file is missing")]
    [InlineData("domain", "{\"file\":\"C.domain.json\",\"confidence\":1.5}", "manifest.json: models[0].domain.confidence must lie between 0 and 1, e.g. 0.99")]
    public void A_field_of_the_wrong_type_or_range_is_refused_on_one_line_naming_it(string field, string json, string reason)
    {
        var files = DemoBundles.Edit(m => Set(m, field, JsonNode.Parse(json)));
        var error = Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip"));
        Assert.Equal($"C.zip: {reason}", error.Message);
    }

    [Fact]
    public void Text_that_is_not_json_is_refused_on_one_line_without_reader_positions()
    {
        var files = DemoBundles.Files();
        files["manifest.json"] = "{\"format\": \n\n nope }"u8.ToArray();
        var message = Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip")).Message;
        Assert.StartsWith("C.zip: manifest.json: ", message);
        Assert.DoesNotContain("LineNumber", message);
        Assert.DoesNotContain(message, char.IsControl);
    }

    [Theory]
    [InlineData("../../escape/evil")]
    [InlineData("/tmp/escape/evil")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("ok..no")]
    [InlineData(".hidden")]
    [InlineData("evil\nline")]
    [InlineData("C:\\evil")]
    public void An_id_that_is_not_a_safe_name_is_refused(string id)
    {
        var files = DemoBundles.Edit(m => m["id"] = id);
        var message = Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip")).Message;
        Assert.StartsWith("C.zip: manifest.json: id '", message);
        Assert.Contains("is not a safe bundle id", message);
        Assert.DoesNotContain(message, char.IsControl);
    }

    [Fact]
    public void A_source_name_with_control_characters_stays_on_one_line()
    {
        var files = DemoBundles.Edit(m => m["files"] = null);
        var message = Assert.Throws<ModelException>(() => ModelBundle.Load(files, "evil\nline\u001b[31m.zip")).Message;
        Assert.Equal(@"evil\nline\u001B[31m.zip: manifest.json: files is missing", message);
    }

    [Theory]
    [InlineData("1.0.0+../../x")]
    [InlineData("1.0.0-a/b")]
    [InlineData("1.0.0\n")]
    public void A_version_that_could_not_name_a_file_is_refused(string version)
    {
        var files = DemoBundles.Edit(m => m["version"] = version);
        Assert.EndsWith("is not a semantic version (major.minor.patch)", Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip")).Message);
    }

    [Theory]
    [InlineData("C.member0.pls.json")]
    [InlineData("C.member2.pls.json")]
    [InlineData("C.ensemble.json")]
    public void A_linear_model_with_more_components_than_the_limit_is_refused(string artefact)
    {
        var files = DemoBundles.Edit(_ => { }, artefacts: f =>
        {
            var linear = JsonNode.Parse(f[artefact])!;
            linear["components"] = 5000;
            f[artefact] = System.Text.Encoding.UTF8.GetBytes(linear.ToJsonString());
        });
        Assert.Equal($"C.zip: {artefact}: components must lie between 1 and 1024", Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip")).Message);
    }

    /// <summary>Whose features are attacked: the model's own (null; those its domain judges) or its second member's (1).</summary>
    public static TheoryData<int?> Members() => new() { null, 1 };

    [Theory]
    [MemberData(nameof(Members))]
    public void A_scattering_bomb_is_refused_naming_the_limit_before_a_filter_is_built(int? member)
    {
        var files = DemoBundles.Edit(m => Features(m, member)["scattering"] = new JsonObject { ["j"] = 24, ["q"] = new JsonArray(256, 256), ["t"] = 16 });
        var before = GC.GetAllocatedBytesForCurrentThread();
        var message = Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip")).Message;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith($"C.zip: manifest.json: {At(member)}.scattering (J = 24, Q = 256/256, 1716 points) makes ", message);
        Assert.Contains("(limit ", message);
        Assert.True(allocated < 16 << 20, $"{allocated >> 20} MiB allocated before the refusal");
    }

    [Fact]
    public void A_grid_of_a_hundred_thousand_points_is_refused_naming_the_limit()
    {
        var files = DemoBundles.Edit(m => DemoBundles.Grid(m, 100_000));
        Assert.Equal("C.zip: manifest.json: input.grid has 100000 points (limit 32768)",
            Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip")).Message);
    }

    [Fact]
    public void A_hundred_thousand_point_grid_with_a_scattering_bomb_is_refused_without_allocating_gigabytes()
    {
        var files = DemoBundles.Edit(m =>
        {
            DemoBundles.Grid(m, 100_000);
            DemoBundles.ScatteringBomb(m);
        });
        var before = GC.GetAllocatedBytesForCurrentThread();
        var message = Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip")).Message;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("(limit ", message);
        Assert.True(allocated < 64 << 20, $"{allocated >> 20} MiB allocated before the refusal");
    }

    [Theory]
    // J = 6, Q = 8/1 on the 1716-point grid: a real configuration. On the ensemble's own features it reaches the
    // applicability domain, on a member's its PLS; both were fitted on the 1716 points of the grid.
    [InlineData(null, "the applicability domain takes 1716 features but the pipeline makes")]
    [InlineData(1, "the pls model takes 1716 features but its pipeline makes")]
    public void A_moderate_scattering_within_the_limits_is_sized_and_built(int? member, string reason)
    {
        var files = DemoBundles.Edit(m => Features(m, member)["scattering"] = new JsonObject { ["j"] = 6, ["q"] = new JsonArray(8, 1) });
        var message = Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip")).Message;
        Assert.Contains(reason, message);
    }

    [Theory]
    [MemberData(nameof(Members))]
    public void A_savitzky_golay_window_beyond_the_limits_is_refused(int? member)
    {
        var files = DemoBundles.Edit(m => Features(m, member)["preprocessing"]!["steps"] =
            JsonNode.Parse("[{\"step\":\"savgol\",\"windowLength\":2000000001,\"polyOrder\":3}]"));
        Assert.StartsWith($"C.zip: manifest.json: {At(member)}.preprocessing.steps[0] window 2000000001",
            Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip")).Message);
    }

    [Theory]
    [MemberData(nameof(Members))]
    public void A_regular_resampling_grid_beyond_the_limit_is_refused_before_it_is_built(int? member)
    {
        var files = DemoBundles.Edit(m => Features(m, member)["preprocessing"]!["steps"] =
            JsonNode.Parse("[{\"step\":\"resample\",\"start\":0,\"stop\":9999999,\"spacing\":1},{\"step\":\"snv\"}]"));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var message = Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip")).Message;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal($"C.zip: manifest.json: {At(member)}.preprocessing.steps[0] resamples onto 10000000 points (limit 32768)", message);
        Assert.True(allocated < 16 << 20, $"{allocated >> 20} MiB allocated before the refusal");
    }

    [Fact]
    public void An_artefact_with_a_null_array_is_refused_naming_it()
    {
        var files = DemoBundles.Edit(_ => { }, artefacts: f =>
        {
            var domain = JsonNode.Parse(f["C.domain.json"])!;
            domain["pca"]!["loadings"] = null;
            f["C.domain.json"] = System.Text.Encoding.UTF8.GetBytes(domain.ToJsonString());
        });
        Assert.Equal("C.zip: C.domain.json: pca.loadings is missing", Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip")).Message);
    }

    [Theory]
    [InlineData("C.member1.pls.json")]
    [InlineData("C.ensemble.json")]
    public void An_artefact_of_the_wrong_type_is_refused_on_one_line(string artefact)
    {
        var files = DemoBundles.Edit(_ => { }, artefacts: f => f[artefact] = "{\"algorithm\":\"kernel\",\"components\":7,\"coefficients\":[[\"x\"]],\"intercepts\":[1]}"u8.ToArray());
        Assert.Equal($"C.zip: {artefact}: coefficients[0][0] has the wrong type",
            Assert.Throws<ModelException>(() => ModelBundle.Load(files, "C.zip")).Message);
    }

    [Fact]
    public void A_zip_entry_larger_than_the_limit_is_refused_by_its_header_before_it_is_inflated()
    {
        using var directory = new TempFolder();
        var path = Path.Combine(directory.Path, "bomb.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var stream = zip.CreateEntry("C.pls.json", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 129; i++) stream.Write(zeros);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal($"{path}: entry 'C.pls.json' is 129 MiB (limit 128 MiB per file)", Assert.Throws<ModelException>(() => ModelBundle.Load(path)).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20);
    }

    [Theory]
    [InlineData("../C.pls.json")]
    [InlineData("/tmp/C.pls.json")]
    [InlineData("models/")]
    [InlineData("sub/C.pls.json")]
    [InlineData("..")]
    public void A_zip_entry_that_is_not_a_plain_file_name_is_refused(string entry)
    {
        using var directory = new TempFolder();
        var files = DemoBundles.Files();
        var path = DemoBundles.WriteZip(files, Path.Combine(directory.Path, "C.zip"));
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update)) zip.CreateEntry(entry);
        Assert.Equal($"{path}: entry '{entry}' is not a plain file name; bundles are flat", Assert.Throws<ModelException>(() => ModelBundle.Load(path)).Message);
    }


    [Fact]
    public void A_cancelled_load_stops()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ModelBundle.Load(Fixtures.RepositoryPath("demo/models/demo-yamsys-C.zip"), null, cancelled.Token));
    }
    private static void SetNull(JsonObject manifest, string field) => Set(manifest, field, null);

    // The features of the first model, or of its ensemble member number member, and where they are in the manifest.
    private static JsonObject Features(JsonObject manifest, int? member)
    {
        var model = manifest["models"]![0]!;
        return (member is { } m ? model["model"]!["members"]![m]!["features"] : model["features"])!.AsObject();
    }

    private static string At(int? member) => member is { } m ? $"models[0].model.members[{m}].features" : "models[0].features";

    private static void Set(JsonObject manifest, string field, JsonNode? value)
    {
        switch (field)
        {
            case "targets[0]": manifest["targets"]![0] = value; break;
            case "models[0]": manifest["models"]![0] = value; break;
            case "domain" or "model" or "features": manifest["models"]![0]![field] = value; break;
            case "grid": manifest["input"]!["grid"] = value; break;
            default: manifest[field] = value; break;
        }
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("midir-hostile-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
