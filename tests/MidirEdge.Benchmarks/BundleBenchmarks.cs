using BenchmarkDotNet.Attributes;
using MidirEdge.Models.Building;
using MidirEdge.Models.Bundles;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;

namespace MidirEdge.Benchmarks;

/// <summary>Loading a bundle and predicting one OPUS spectrum with a PLS bundle (the clay demo) and a scattering + PLS bundle.</summary>
[MemoryDiagnoser]
public class BundleBenchmarks
{
    private string _plsPath = "";
    private string _scatteringPath = "";
    private ModelBundle _pls = null!;
    private ModelBundle _scattering = null!;
    private Spectrum _spectrum = null!;

    /// <summary>Builds the scattering bundle from the yamsys table and loads both bundles.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _plsPath = Fixtures.RepositoryPath("demo/models/demo-yamsys-clay.zip");
        var table = CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv");
        var built = new ModelBuilder(table, "sample_id").Build("C", [CandidatePipeline.LogScattering]);
        var (manifest, artefacts) = BundleComposer.Compose(new BundleIdentity("bench-scattering-C", "Scattering PLS of C", "1.0.0"),
            table, "sample_id", [built], DateTimeOffset.UtcNow);
        _scatteringPath = Path.Combine(Path.GetTempPath(), "midir-bench-scattering-C.zip");
        BundleWriter.WriteZip(_scatteringPath, manifest, artefacts);
        _pls = ModelBundle.Load(_plsPath);
        _scattering = ModelBundle.Load(_scatteringPath);
        _spectrum = OpusReader.Read(Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1"), "BF_lo_01_soil_cal.1").FindData("ab")!.Spectrum;
    }

    /// <summary>Disposes the bundles and removes the temporary one.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _pls.Dispose();
        _scattering.Dispose();
        File.Delete(_scatteringPath);
    }

    /// <summary>One spectrum: contract check, resampling, SG smoothing, SNV, PLS, applicability domain.</summary>
    [Benchmark]
    public double PredictPls() => _pls.Predict(_spectrum)[0].Value;

    /// <summary>One spectrum: contract check, resampling, scattering (J 6, Q 8), log, PLS, applicability domain.</summary>
    [Benchmark]
    public double PredictScatteringPls() => _scattering.Predict(_spectrum)[0].Value;

    /// <summary>Reading, verifying and building the clay demo bundle.</summary>
    [Benchmark]
    public string LoadPlsBundle()
    {
        using var bundle = ModelBundle.Load(_plsPath);
        return bundle.Id;
    }
}
