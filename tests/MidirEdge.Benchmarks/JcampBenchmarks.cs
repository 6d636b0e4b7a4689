using BenchmarkDotNet.Attributes;
using MidirEdge.Spectra.Formats.Jcamp;
using MidirEdge.Tests;

namespace MidirEdge.Benchmarks;

/// <summary>Parse time and allocations of <see cref="JcampReader"/> on representative fixtures.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class JcampBenchmarks
{
    private byte[] _bytes = [];

    /// <summary>Fixture under tests/fixtures/data/jcamp: a big AFFN file (56,417 points), DIF/DUP, SQZ/DUP and PAC files.</summary>
    [Params("ir/sulphur hexafluoride.jdx", "lancashire/dupinc2.jdx", "lancashire/sqzdupd1.jdx", "lancashire/pacdec1.jdx")]
    public string File { get; set; } = "";

    /// <summary>Loads the file once.</summary>
    [GlobalSetup]
    public void Setup() => _bytes = System.IO.File.ReadAllBytes(Fixtures.Path(Path.Combine("data", "jcamp", File)));

    /// <summary>Reads every spectrum of the file.</summary>
    [Benchmark]
    public int Read() => JcampReader.Read(_bytes, File).Count;
}
