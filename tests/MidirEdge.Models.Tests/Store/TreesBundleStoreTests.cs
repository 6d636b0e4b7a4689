using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MidirEdge.Models.Bundles;
using MidirEdge.Models.Store;
using MidirEdge.Models.Tests.Building;
using MidirEdge.Tests;

namespace MidirEdge.Models.Tests.Store;

/// <summary>A tree-ensemble bundle built with ML.NET runs where ML.NET is absent: this test assembly has only MidirEdge.Models.</summary>
public sealed class TreesBundleStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("midir-store-").FullName;

    [Fact]
    public void A_trees_bundle_loads_in_the_store_and_predicts_what_ML_NET_predicted_at_build_time_without_ML_NET_present()
    {
        Assert.DoesNotContain(Directory.GetFiles(AppContext.BaseDirectory, "Microsoft.ML*.dll").Select(Path.GetFileName),
            name => !name!.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal));
        using var expected = JsonDocument.Parse(Fixtures.ReadBytes("bundles/trees-gbt-C.expected.json"));
        var scale = expected.RootElement.GetProperty("maxAbsC").GetDouble();

        using var store = new ModelStore(_directory, BundleTrust.None, NullLogger<ModelStore>.Instance);
        store.Install(Fixtures.Path("bundles/trees-gbt-C.zip"));
        var bundle = Assert.Single(store.Active);
        Assert.Equal("trees", bundle.Manifest.Models[0].Model.Kind);
        foreach (var row in expected.RootElement.GetProperty("rows").EnumerateArray())
        {
            var prediction = Assert.Single(bundle.Predict(YamsysTable.Table.SpectrumAt(row.GetProperty("row").GetInt32())));
            // The same graph in the same runtime as at build time; ML.NET's float32 sums differ by rounding only.
            Assert.Equal(row.GetProperty("onnx").GetDouble(), prediction.Value, 1e-12 * scale);
            Assert.Equal(row.GetProperty("mlNet").GetDouble(), prediction.Value, 1e-5 * scale);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
