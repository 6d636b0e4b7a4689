using System.Collections.Immutable;
using MidirEdge.Models.Building;
using MidirEdge.Models.Bundles;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Tests;

namespace MidirEdge.Models.Tests.Bundles;

/// <summary>A C and N bundle built once from the real yamsys table (SNV + PLS), shared by the bundle tests.</summary>
public sealed class YamsysBundle
{
    public YamsysBundle()
    {
        Table = CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv");
        var builder = new ModelBuilder(Table, "sample_id");
        Built = [builder.Build("C", [CandidatePipeline.StandardNormalVariate]), builder.Build("N", [CandidatePipeline.StandardNormalVariate])];
        var identity = new BundleIdentity("test-yamsys", "Test C and N", "1.2.3", "test bundle", ["tests"],
            new Dictionary<string, string> { ["C"] = "g/kg" });
        (Manifest, Artefacts) = BundleComposer.Compose(identity, Table, "sample_id", Built, new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));
    }

    public SpectralTable Table { get; }

    public ImmutableArray<BuiltModel> Built { get; }

    public BundleManifest Manifest { get; }

    public Dictionary<string, byte[]> Artefacts { get; }

    /// <summary>The bundle's files, manifest (and signature when a key is given) included.</summary>
    public Dictionary<string, byte[]> Files(System.Security.Cryptography.ECDsa? key = null) => BundleWriter.Files(Manifest, Artefacts, key, out _);
}
