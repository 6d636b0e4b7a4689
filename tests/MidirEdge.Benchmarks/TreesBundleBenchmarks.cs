using BenchmarkDotNet.Attributes;
using MidirEdge.Models.Building;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Learners;
using MidirEdge.Models.Trees;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Spectra.Preprocessing;
using MidirEdge.Tests;

namespace MidirEdge.Benchmarks;

/// <summary>
/// Predicting one OPUS spectrum with bundles of soil C on SNV + SG1 + 20 principal components: PLS, gradient-boosted
/// trees (200 × 8 leaves) and a random forest (300 × 16 leaves), the trees run as ONNX graphs.
/// </summary>
[MemoryDiagnoser]
public class TreesBundleBenchmarks
{
    private string _path = "";
    private ModelBundle _bundle = null!;
    private Spectrum _spectrum = null!;

    /// <summary>Builds the learner's bundle from the yamsys table (one CV repeat, one setting) and loads it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var table = CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv");
        var pipeline = new CandidatePipeline("snv+sg1+pca", new PreprocessingPipeline([new Snv(), new SavitzkyGolay(17, 2, 1)]), null, 20);
        var builder = new ModelBuilder(table, "sample_id", new BuildOptions(Repeats: 1, TryLog1p: false));
        ILearner learner = Learner switch { "gbt" => new GbtLearner([(200, 8)]), "rf" => new RfLearner([16]), _ => new PlsLearner(10) };
        var built = builder.Build("C", [pipeline], [learner]);
        var (manifest, artefacts) = BundleComposer.Compose(new BundleIdentity($"bench-{Learner}-C", Learner, "1.0.0"),
            table, "sample_id", [built], DateTimeOffset.UtcNow);
        _path = Path.Combine(Path.GetTempPath(), $"midir-bench-{Learner}-C.zip");
        BundleWriter.WriteZip(_path, manifest, artefacts);
        (built.Model as IDisposable)?.Dispose();
        _bundle = ModelBundle.Load(_path);
        _spectrum = OpusReader.Read(Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1"), "BF_lo_01_soil_cal.1").FindData("ab")!.Spectrum;
    }

    /// <summary>Disposes the bundle and removes its file.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _bundle.Dispose();
        File.Delete(_path);
    }

    /// <summary>The bundle's learner: pls (10 LV), gbt or rf.</summary>
    [Params("pls", "gbt", "rf")]
    public string Learner { get; set; } = "";

    /// <summary>One spectrum: contract check, resampling, SNV, SG1, PCA, the model, applicability domain.</summary>
    [Benchmark]
    public double Predict() => _bundle.Predict(_spectrum)[0].Value;
}
