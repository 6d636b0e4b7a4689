using BenchmarkDotNet.Attributes;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Tests;

namespace MidirEdge.Benchmarks;

/// <summary>Parse time and allocations of <see cref="CsvSpectrumReader"/> on the yamsys table (224 spectra × 1,716 wavenumbers, 6.9 MB).</summary>
[MemoryDiagnoser]
public class CsvBenchmarks
{
    private byte[] _bytes = [];

    /// <summary>Loads and unzips the table once.</summary>
    [GlobalSetup]
    public void Setup() => _bytes = Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz");

    /// <summary>Reads the table: values, x axis and metadata columns.</summary>
    [Benchmark]
    public SpectralTable ReadTable() => CsvSpectrumReader.ReadTable(_bytes, "yamsys_dev.csv");
}
