using MidirEdge.Models.Building;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Learners;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Spectra.Preprocessing;
using MidirEdge.Tests;

namespace MidirEdge.Models.Trees.Tests;

/// <summary>Soil C of the real yamsys_dev table built once per learner (small ensembles, one CV repeat) and written as a bundle.</summary>
public sealed class TreeBundles : IDisposable
{
    private readonly Dictionary<string, Built> _built = new(StringComparer.Ordinal);
    private readonly string _directory = Directory.CreateTempSubdirectory("midir-trees-").FullName;

    public static SpectralTable Table { get; } = CsvSpectrumReader.ReadTable(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv");

    /// <summary>SNV, Savitzky–Golay first derivative, then 10 principal components: the trees' input.</summary>
    public static CandidatePipeline Pipeline { get; } = new("snv+sg1+pca", new PreprocessingPipeline([new Snv(), new SavitzkyGolay(17, 2, 1)]), null, 10);

    public static BuildOptions Options { get; } = new(Repeats: 1, TryLog1p: false);

    /// <summary>A learner small enough for tests: two settings of a few dozen trees.</summary>
    public static TreeLearner Learner(string name) => name switch
    {
        "gbt" => new GbtLearner([(40, 4), (60, 8)]),
        "rf" => new RfLearner([4, 8], trees: 40),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The built model of <paramref name="learner"/> and the path of its bundle.</summary>
    public Built Get(string learner)
    {
        lock (_built)
        {
            if (_built.TryGetValue(learner, out var built)) return built;
            var model = new ModelBuilder(Table, "sample_id", Options).Build("C", [Pipeline], [Learner(learner)]);
            var (manifest, artefacts) = BundleComposer.Compose(new BundleIdentity($"trees-{learner}", learner, "1.0.0"), Table, "sample_id", [model], DateTimeOffset.UnixEpoch);
            var path = Path.Combine(_directory, $"trees-{learner}.zip");
            BundleWriter.WriteZip(path, manifest, artefacts);
            return _built[learner] = new Built(model, manifest, artefacts, path);
        }
    }

    public void Dispose()
    {
        foreach (var built in _built.Values) (built.Model.Model as IDisposable)?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public sealed record Built(BuiltModel Model, BundleManifest Manifest, Dictionary<string, byte[]> Artefacts, string Path);
}
