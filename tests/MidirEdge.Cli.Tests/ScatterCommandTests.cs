using System.Globalization;
using System.Text.Json;
using MidirEdge.Tests;

namespace MidirEdge.Cli.Tests;

/// <summary>The scatter and bench scatter commands, run in-process.</summary>
public sealed class ScatterCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("midir-scatter-").FullName;

    /// <summary>Removes the temporary files.</summary>
    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A batch of three soil spectra gives Kymatio's shape, meta and values for both releases.</summary>
    [Theory]
    [InlineData("kymatio-0.3.0", "0.3")]
    [InlineData("kymatio-0.4-dev", "0.4")]
    public async Task Scatter_writes_kymatio_shape_meta_and_values(string folder, string version)
    {
        using var reference = Fixtures.ReadJson($"reference/scattering/{folder}/seed_J4_Q12_batch3.json.gz");
        var expected = reference.RootElement;
        var input = WriteCsv(expected.GetProperty("input").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()));
        var output = Path.Combine(_directory, "out.json");

        var code = await Run("scatter", "--J", "4", "--Q", "12", "--kymatio", version, "--input", input, "--output", output);

        Assert.Equal(0, code);
        using var actualDocument = JsonDocument.Parse(File.ReadAllBytes(output));
        var actual = actualDocument.RootElement;
        Assert.Equal(version, actual.GetProperty("kymatio").GetString());
        Assert.Equal([3, 65, 107], actual.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        foreach (var key in new[] { "order", "n", "j" })
            Assert.Equal(Flatten(expected.GetProperty("meta").GetProperty(key)), Flatten(actual.GetProperty("meta").GetProperty(key)));
        foreach (var key in new[] { "xi", "sigma" })
        {
            var e = Flatten(expected.GetProperty("meta").GetProperty(key));
            var a = Flatten(actual.GetProperty("meta").GetProperty(key));
            Assert.Equal(e.Count, a.Count);
            for (var i = 0; i < e.Count; i++)
                Assert.True(e[i] is null ? a[i] is null : Math.Abs(e[i]!.Value - a[i]!.Value) <= 1e-13 * e[i]!.Value, $"{key}[{i}]");
        }

        AssertValuesMatch(expected.GetProperty("output"), actual.GetProperty("output"), signals: 3, paths: 65);
    }

    /// <summary>Bad parameters exit with 2, bad input with 1.</summary>
    [Theory]
    [InlineData(2, "--J", "4", "--Q", "0")]
    [InlineData(2, "--J", "12", "--Q", "4")]
    [InlineData(2, "--J", "4", "--T", "100000")]
    [InlineData(2, "--J", "4", "--max-order", "3")]
    [InlineData(2, "--J", "4", "--kymatio", "0.2")]
    public async Task Scatter_rejects_bad_parameters(int exitCode, params string[] arguments)
    {
        var input = WriteCsv([Enumerable.Range(0, 1716).Select(i => Math.Sin(i / 30.0)).ToArray()]);
        var code = await Run(["scatter", .. arguments, "--input", input]);
        Assert.Equal(exitCode, code);
    }

    /// <summary>Rows of unequal length, NaN and missing files exit with 1.</summary>
    [Theory]
    [InlineData("1,2,3,4,5,6,7,8\n1,2,3\n")]
    [InlineData("1,2,3,4,5,6,7,8\n1,2,NaN,4,5,6,7,8\n")]
    [InlineData("1,2,x,4\n")]
    [InlineData("")]
    public async Task Scatter_rejects_bad_input(string csv)
    {
        var input = Path.Combine(_directory, "bad.csv");
        File.WriteAllText(input, csv);
        Assert.Equal(1, await Run("scatter", "--J", "1", "--input", input));
    }

    /// <summary>bench scatter runs a small measurement and exits with 0.</summary>
    [Fact]
    public async Task Bench_scatter_runs()
    {
        Assert.Equal(0, await Run("bench", "scatter", "--J", "3", "--Q", "4", "--n", "256", "--count", "8"));
        Assert.Equal(2, await Run("bench", "scatter", "--J", "9", "--n", "256", "--count", "8"));
    }

    private static Task<int> Run(params string[] arguments) => CommandLine.InvokeAsync(arguments);

    /// <summary>Every value within 1e-6 of the largest |value| of its path in the reference.</summary>
    private static void AssertValuesMatch(JsonElement expected, JsonElement actual, int signals, int paths)
    {
        for (var s = 0; s < signals; s++)
        {
            for (var p = 0; p < paths; p++)
            {
                var e = expected[s][p].EnumerateArray().Select(v => v.GetDouble()).ToArray();
                var a = actual[s][p].EnumerateArray().Select(v => v.GetDouble()).ToArray();
                var max = e.Max(Math.Abs);
                for (var t = 0; t < e.Length; t++) Assert.True(Math.Abs(e[t] - a[t]) <= 1e-6 * max, $"signal {s} path {p} t {t}");
            }
        }
    }

    private string WriteCsv(IEnumerable<double[]> rows)
    {
        var path = Path.Combine(_directory, "signals.csv");
        File.WriteAllLines(path, rows.Select(row => string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
        return path;
    }

    private static List<double?> Flatten(JsonElement element)
    {
        var values = new List<double?>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array) { foreach (var child in e.EnumerateArray()) Walk(child); }
            else values.Add(e.ValueKind == JsonValueKind.Null ? null : e.GetDouble());
        }
        Walk(element);
        return values;
    }
}
