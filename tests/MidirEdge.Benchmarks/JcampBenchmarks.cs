using BenchmarkDotNet.Attributes;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Jcamp;
using MidirEdge.Tests;

namespace MidirEdge.Benchmarks;

/// <summary>Parse time and allocations of <see cref="JcampReader"/> on every JCAMP-DX fixture.</summary>
[MemoryDiagnoser]
public class JcampBenchmarks
{
    private byte[] _bytes = [];

    /// <summary>The fixture to parse, relative to tests/fixtures/data/jcamp (e.g. <c>ir/water.jdx</c>).</summary>
    [ParamsSource(nameof(Files))]
    public string File { get; set; } = "";

    /// <summary>Every file under tests/fixtures/data/jcamp.</summary>
    public static IEnumerable<string> Files()
    {
        var root = Fixtures.Path(Path.Combine("data", "jcamp"));
        return Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
    }

    /// <summary>Loads the file once.</summary>
    [GlobalSetup]
    public void Setup() => _bytes = System.IO.File.ReadAllBytes(Fixtures.Path(Path.Combine("data", "jcamp", File)));

    /// <summary>Reads every spectrum of the file; files the reader refuses (NMR, mass spectra, NTUPLES, malformed) count 0 and measure the refusal.</summary>
    [Benchmark]
    public int Read()
    {
        try
        {
            return JcampReader.Read(_bytes, File).Count;
        }
        catch (SpectrumFormatException)
        {
            return 0;
        }
    }
}
