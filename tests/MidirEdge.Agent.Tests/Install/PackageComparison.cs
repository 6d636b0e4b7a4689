using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Install;

/// <summary>A published package's output against the framework-dependent x64 build the tests run.</summary>
[UnsupportedOSPlatform("windows")]
internal static class PackageComparison
{
    /// <summary>The same header, rows and text cells; numeric cells within 1e-12 relative.</summary>
    public static void AssertSameCsv(string expected, string actual)
    {
        var want = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(',')).ToArray();
        var got = actual.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(',')).ToArray();
        Assert.Equal(want.Length, got.Length);
        for (var row = 0; row < want.Length; row++)
        {
            Assert.Equal(want[row].Length, got[row].Length);
            for (var cell = 0; cell < want[row].Length; cell++)
            {
                if (double.TryParse(want[row][cell], CultureInfo.InvariantCulture, out var w) && double.TryParse(got[row][cell], CultureInfo.InvariantCulture, out var g))
                    Assert.True(Math.Abs(w - g) <= 1e-12 * Math.Abs(w), $"row {row}, cell {cell}: {g} against {w}");
                else Assert.Equal(want[row][cell], got[row][cell]);
            }
        }
    }

    /// <summary>Kymatio 0.3's reference batch (J = 4, Q = 12) with its input written as CSV to <paramref name="folder"/>.</summary>
    public static async Task<KymatioBatch> KymatioBatchAsync(string folder)
    {
        var reference = Fixtures.ReadJson("reference/scattering/kymatio-0.3.0/seed_J4_Q12_batch3.json.gz");
        var input = Path.Combine(folder, "signals.csv");
        await File.WriteAllLinesAsync(input, reference.RootElement.GetProperty("input").EnumerateArray()
            .Select(row => string.Join(',', row.EnumerateArray().Select(v => v.GetDouble().ToString("R", CultureInfo.InvariantCulture)))));
        return new KymatioBatch(reference, input, folder);
    }

    /// <summary>The x64 build the tests themselves run (framework-dependent, same sources), as a separate process.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr, string Output)> RunX64Async(
        string[] arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        InstallScriptTests.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "midir-edge.dll"), .. arguments], environment);

    /// <summary>Every value within <paramref name="tolerance"/> of the largest |value| of its path in <paramref name="expected"/>.</summary>
    public static void AssertWithin(JsonElement expected, JsonElement actual, double tolerance, string what)
    {
        Assert.Equal(expected.GetArrayLength(), actual.GetArrayLength());
        for (var s = 0; s < expected.GetArrayLength(); s++)
        {
            Assert.Equal(expected[s].GetArrayLength(), actual[s].GetArrayLength());
            for (var p = 0; p < expected[s].GetArrayLength(); p++)
            {
                var e = expected[s][p].EnumerateArray().Select(v => v.GetDouble()).ToArray();
                var a = actual[s][p].EnumerateArray().Select(v => v.GetDouble()).ToArray();
                Assert.Equal(e.Length, a.Length);
                var max = e.Max(Math.Abs);
                for (var t = 0; t < e.Length; t++) Assert.True(Math.Abs(e[t] - a[t]) <= tolerance * max, $"{what}: signal {s} path {p} t {t}");
            }
        }
    }
}

/// <summary>Kymatio's reference batch and its input as a CSV file, for packages to scatter.</summary>
internal sealed record KymatioBatch(JsonDocument Reference, string Input, string Folder) : IDisposable
{
    /// <summary>Kymatio's output, [signal][path][time].</summary>
    public JsonElement Output => Reference.RootElement.GetProperty("output");

    /// <summary>The arguments that scatter the input into <paramref name="output"/> in the folder.</summary>
    public string[] Arguments(string output) => ["scatter", "--J", "4", "--Q", "12", "--input", Input, "--output", Path.Combine(Folder, output)];

    public void Dispose() => Reference.Dispose();
}
