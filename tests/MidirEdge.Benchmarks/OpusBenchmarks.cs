using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using MidirEdge.Spectra.Formats.Opus;

namespace MidirEdge.Benchmarks;

/// <summary>Parsing each fixture OPUS file from memory: every block, spectrum and parameter.</summary>
[MemoryDiagnoser]
public class OpusBenchmarks
{
    private byte[] _bytes = [];

    /// <summary>The fixture file to parse.</summary>
    [ParamsSource(nameof(Files))]
    public string File { get; set; } = "";

    /// <summary>Every file in tests/fixtures/data/opus.</summary>
    public static IEnumerable<string> Files() =>
        Directory.GetFiles(Folder()).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>Loads the file once.</summary>
    [GlobalSetup]
    public void Setup() => _bytes = System.IO.File.ReadAllBytes(Path.Combine(Folder(), File));

    /// <summary>Parses the whole file.</summary>
    [Benchmark]
    public OpusFile Read() => OpusReader.Read(_bytes, File);

    private static string Folder([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "fixtures", "data", "opus"));
}
