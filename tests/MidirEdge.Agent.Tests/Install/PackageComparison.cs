using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;

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
