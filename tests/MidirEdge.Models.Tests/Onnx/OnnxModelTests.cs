using System.Text.Json;
using MidirEdge.Models.Onnx;
using MidirEdge.Tests;
using Xunit.Abstractions;

namespace MidirEdge.Models.Tests.Onnx;

public class OnnxModelTests(ITestOutputHelper log)
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> ReferenceModels => new() { "pls_C_raw", "mlp_multi", "cnn1d" };

    [Theory]
    [MemberData(nameof(ReferenceModels))]
    public void Reproduces_reference_outputs(string name)
    {
        using var json = Fixtures.ReadJson($"reference/onnx/{name}.expected.json.gz");
        using var model = OnnxModel.Load(Fixtures.Path($"reference/onnx/{name}.onnx"));
        var input = json.RootElement.GetProperty("inputs").EnumerateObject().Single();

        var outputs = model.Run(input.Name, Rows(input.Value));

        var expected = json.RootElement.GetProperty("expected").EnumerateObject().ToArray();
        Assert.Equal(expected.Length, outputs.Count);
        var maxRelative = 0.0;
        foreach (var output in expected)
        {
            var want = Rows(output.Value);
            var got = outputs[output.Name];
            Assert.Equal(want.Length, got.Length);
            for (var r = 0; r < want.Length; r++)
            {
                Assert.Equal(want[r].Length, got[r].Length);
                for (var j = 0; j < want[r].Length; j++)
                {
                    maxRelative = Math.Max(maxRelative, Math.Abs(got[r][j] - want[r][j]) / Math.Max(1e-12, Math.Abs(want[r][j])));
                    Assert.True(Math.Abs(got[r][j] - want[r][j]) <= Tolerance * Math.Max(1, Math.Abs(want[r][j])),
                        $"{name} {output.Name}[{r},{j}]: got {got[r][j]}, expected {want[r][j]}");
                }
            }
        }
        log.WriteLine($"{name}: max relative error {maxRelative:E2}");
    }

    [Fact]
    public void Float_rows_give_the_same_outputs_as_double_rows()
    {
        using var json = Fixtures.ReadJson("reference/onnx/pls_C_raw.expected.json.gz");
        using var model = OnnxModel.Load(Fixtures.Path("reference/onnx/pls_C_raw.onnx"));
        var rows = Rows(json.RootElement.GetProperty("inputs").GetProperty("spectrum"));
        var floats = rows.Select(r => r.Select(v => (float)v).ToArray()).ToArray();

        Assert.Equal(model.Run("spectrum", rows)["C"], model.Run("spectrum", floats)["C"]);
    }

    [Fact]
    public void Describes_inputs_and_outputs()
    {
        using var pls = OnnxModel.Load(Fixtures.Path("reference/onnx/pls_C_raw.onnx"));
        var input = Assert.Single(pls.Inputs);
        Assert.Equal("spectrum", input.Name);
        Assert.Equal(typeof(float), input.ElementType);
        Assert.Equal(1716, input.FeatureCount);
        Assert.Equal(1716, input.Shape[1]);
        Assert.Equal("C", Assert.Single(pls.Outputs).Name);

        using var cnn = OnnxModel.Load(Fixtures.Path("reference/onnx/cnn1d.onnx"));
        Assert.Equal([1, 256], cnn.Inputs[0].Shape.Skip(1));
        Assert.Equal(256, cnn.Inputs[0].FeatureCount);
    }

    [Fact]
    public void Loads_from_bytes()
    {
        var bytes = File.ReadAllBytes(Fixtures.Path("reference/onnx/mlp_multi.onnx"));
        using var model = OnnxModel.Load(bytes, "mlp_multi.onnx");
        Assert.Equal("mlp_multi.onnx", model.Source);
        Assert.Equal("features", model.Inputs[0].Name);
    }

    [Fact]
    public void Maps_output_columns_to_targets_by_name()
    {
        using var json = Fixtures.ReadJson("reference/onnx/mlp_multi.expected.json.gz");
        using var model = OnnxModel.Load(Fixtures.Path("reference/onnx/mlp_multi.onnx"));
        var rows = Rows(json.RootElement.GetProperty("inputs").GetProperty("features"));
        var expected = Rows(json.RootElement.GetProperty("expected").GetProperty("y"));

        var predictions = model.Predict("features", rows, [new OnnxTarget("C", "y", 0), new OnnxTarget("N", "y", 1)]);

        for (var r = 0; r < rows.Length; r++)
        {
            Assert.Equal(expected[r][0], predictions["C"][r], Tolerance);
            Assert.Equal(expected[r][1], predictions["N"][r], Tolerance);
        }
        var missing = Assert.Throws<ModelException>(() => model.Predict("features", rows, [new OnnxTarget("pH", "ph", 0)]));
        Assert.Contains("'ph'", missing.Message);
        var column = Assert.Throws<ModelException>(() => model.Predict("features", rows, [new OnnxTarget("pH", "y", 2)]));
        Assert.Contains("column 2", column.Message);
    }

    [Fact]
    public void Truncated_model_is_a_model_exception_naming_the_model()
    {
        var bytes = File.ReadAllBytes(Fixtures.Path("reference/onnx/pls_C_raw.onnx"));
        foreach (var length in new[] { 1, 16, bytes.Length / 2, bytes.Length - 7 })
        {
            var ex = Assert.Throws<ModelException>(() => OnnxModel.Load(bytes[..length], "pls_C_raw.onnx"));
            Assert.Equal("pls_C_raw.onnx", ex.Model);
            Assert.StartsWith("pls_C_raw.onnx: ", ex.Message);
        }
    }

    [Fact]
    public void Corrupt_or_missing_file_is_a_model_exception()
    {
        var path = Path.Combine(Path.GetTempPath(), $"midir-corrupt-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, File.ReadAllBytes(Fixtures.Path("reference/onnx/cnn1d.onnx"))[..200]);
        try
        {
            var ex = Assert.Throws<ModelException>(() => OnnxModel.Load(path));
            Assert.Contains(path, ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Throws<ModelException>(() => OnnxModel.Load(path));
        Assert.Throws<ModelException>(() => OnnxModel.Load([], "empty.onnx"));
    }

    [Fact]
    public void Wrong_width_rows_are_a_model_exception()
    {
        using var model = OnnxModel.Load(Fixtures.Path("reference/onnx/pls_C_raw.onnx"));
        var ex = Assert.Throws<ModelException>(() => model.Run("spectrum", [new double[1716], new double[1715]]));
        Assert.Contains("row 1 has 1715", ex.Message);
        Assert.Contains("1716", ex.Message);
        Assert.Contains("pls_C_raw.onnx", ex.Message);

        using var cnn = OnnxModel.Load(Fixtures.Path("reference/onnx/cnn1d.onnx"));
        Assert.Throws<ModelException>(() => cnn.Run("spectrum", [new double[255]]));
    }

    [Fact]
    public void Unknown_input_is_a_model_exception_listing_the_inputs()
    {
        using var model = OnnxModel.Load(Fixtures.Path("reference/onnx/pls_C_raw.onnx"));
        var ex = Assert.Throws<ModelException>(() => model.Run("absorbance", [new double[1716]]));
        Assert.Contains("'absorbance'", ex.Message);
        Assert.Contains("spectrum", ex.Message);
        Assert.Throws<ModelException>(() => model.Run("spectrum", Array.Empty<double[]>()));
    }

    [Fact]
    public void Concurrent_runs_agree()
    {
        using var json = Fixtures.ReadJson("reference/onnx/pls_C_raw.expected.json.gz");
        using var model = OnnxModel.Load(Fixtures.Path("reference/onnx/pls_C_raw.onnx"));
        var rows = Rows(json.RootElement.GetProperty("inputs").GetProperty("spectrum"));
        var single = model.Run("spectrum", rows)["C"];

        var results = new double[16][][];
        Parallel.For(0, results.Length, i => results[i] = model.Run("spectrum", rows)["C"]);

        Assert.All(results, r => Assert.Equal(single, r));
    }

    /// <summary>Reads a JSON batch of any rank as rows: the first dimension is the batch, the rest is flattened.</summary>
    private static double[][] Rows(JsonElement batch) =>
        batch.EnumerateArray().Select(sample => Flatten(sample).ToArray()).ToArray();

    private static IEnumerable<double> Flatten(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().SelectMany(Flatten) : [element.GetDouble()];
}
