using BenchmarkDotNet.Attributes;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;

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
        Fixtures.Files("data/opus").Select(Path.GetFileName)!;

    /// <summary>Loads the file once.</summary>
    [GlobalSetup]
    public void Setup() => _bytes = Fixtures.ReadBytes(Path.Combine("data", "opus", File));

    /// <summary>Parses the whole file.</summary>
    [Benchmark]
    public OpusFile Read() => OpusReader.Read(_bytes, File);
}
