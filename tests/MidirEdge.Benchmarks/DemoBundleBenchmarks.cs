using BenchmarkDotNet.Attributes;
using MidirEdge.Models.Bundles;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;

namespace MidirEdge.Benchmarks;

/// <summary>Predicting one OPUS spectrum with each demo bundle (demo/models): a single PLS or a stack of three PLS members.</summary>
[MemoryDiagnoser]
public class DemoBundleBenchmarks
{
    private ModelBundle _bundle = null!;
    private Spectrum _spectrum = null!;

    /// <summary>Loads the demo bundle and reads the spectrum.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _bundle = ModelBundle.Load(Fixtures.RepositoryPath($"demo/models/demo-yamsys-{Target}.zip"));
        _spectrum = OpusReader.Read(Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1"), "BF_lo_01_soil_cal.1").FindData("ab")!.Spectrum;
    }

    /// <summary>Disposes the bundle.</summary>
    [GlobalCleanup]
    public void Cleanup() => _bundle.Dispose();

    /// <summary>The demo bundle's target.</summary>
    [Params("C", "N", "pH", "clay", "CEC_eff", "ex_Ca", "ex_K")]
    public string Target { get; set; } = "";

    /// <summary>One spectrum: contract check, resampling, every member's preprocessing and PLS, the weights, applicability domain, interval.</summary>
    [Benchmark]
    public double Predict() => _bundle.Predict(_spectrum)[0].Value;
}
