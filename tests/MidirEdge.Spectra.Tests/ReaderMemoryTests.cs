using System.Text;
using MidirEdge.Spectra.Formats;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Tests;

namespace MidirEdge.Spectra.Tests;

/// <summary>
/// Files made to blow up memory are refused early, naming the limit they pass, and reading them allocates little
/// (bytes allocated on the reading thread, which do not depend on the machine's speed or load).
/// </summary>
public sealed class ReaderMemoryTests
{
    private const int MiB = 1024 * 1024;

    /// <summary>32 MB of "0," is one record of 16 million fields: refused at field 65,537 (it took 6.2 GB per 200 MB).</summary>
    [Fact]
    public void CsvOfZeroCommasIsRefusedAtTheColumnLimit()
    {
        var data = Repeat("0,"u8, 16 * MiB);
        var (error, allocated) = Refused(data, "zeros.csv");
        Assert.Contains(nameof(SpectrumLimits.MaxColumns), error.Reason);
        Assert.InRange(allocated, 0, 2 * MiB);
    }

    /// <summary>A 30 MB table of 3 million columns is refused at its header (it took 534 MB for 29 MB).</summary>
    [Fact]
    public void CsvOfThreeMillionColumnsIsRefusedAtTheHeader()
    {
        var text = new StringBuilder(32 * MiB).Append("id");
        for (var c = 0; c < 3_000_000; c++) text.Append(',').Append(1_000_000 + c);
        text.Append("\ns1");
        for (var c = 0; c < 3_000_000; c++) text.Append(",0");
        var (error, allocated) = Refused(Encoding.ASCII.GetBytes(text.Append('\n').ToString()), "wide.csv");
        Assert.Contains(nameof(SpectrumLimits.MaxColumns), error.Reason);
        Assert.Equal(1, error.Line);
        Assert.InRange(allocated, 0, 2 * MiB);
    }

    /// <summary>32 MB of NUL bytes is not text: refused before reading it (200 MB took 1 GB).</summary>
    [Fact]
    public void NulBytesAreRefusedBeforeAnyParsing()
    {
        var (error, allocated) = Refused(new byte[32 * MiB], "zeros.bin");
        Assert.Contains("NUL", error.Reason);
        Assert.Equal(0, error.Offset);
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    /// <summary>A CSV with more rows than one spectrum may have points is refused before its values are allocated.</summary>
    [Fact]
    public void CsvWithMoreRowsThanPointsIsRefusedBeforeAllocating()
    {
        var (error, allocated) = Refused(Repeat("0,0\n"u8, SpectrumLimits.MaxPoints + 1), "long.csv");
        Assert.Contains(nameof(SpectrumLimits.MaxPoints), error.Reason);
        Assert.InRange(allocated, 0, 2 * MiB);
    }

    /// <summary>A wide table is allocated once, at its size: yamsys (224 × 1,716 values, 3 MB as doubles) in well under 4 times that.</summary>
    [Fact]
    public void CsvTableAllocatesCloseToItsValues()
    {
        var data = Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var table = CsvSpectrumReader.ReadTable(data, "yamsys_dev.csv");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var values = (long)table.RowCount * table.X.Length * sizeof(double);
        Assert.InRange(allocated, values, 2 * values);
    }

    private static (SpectrumFormatException Error, long Allocated) Refused(byte[] data, string file)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.ThrowsAny<SpectrumFormatException>(() => SpectrumFile.Read(data, file));
        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static byte[] Repeat(ReadOnlySpan<byte> pattern, int times)
    {
        var data = new byte[pattern.Length * times];
        for (var i = 0; i < times; i++) pattern.CopyTo(data.AsSpan(i * pattern.Length));
        return data;
    }
}
