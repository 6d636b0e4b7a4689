using System.Text;
using MidirEdge.Spectra.Formats;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Spectra.Formats.Jcamp;
using MidirEdge.Spectra.Formats.Opus;
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

    /// <summary>A stream longer than the file limit is refused from its length, before a buffer is allocated for it.</summary>
    [Fact]
    public void StreamLongerThanTheFileLimitIsRefusedFromItsLength()
    {
        var path = Path.Combine(Path.GetTempPath(), $"midir-edge-{Guid.NewGuid():N}.csv");
        try
        {
            using (var sparse = File.Create(path)) sparse.SetLength(SpectrumLimits.MaxFileBytes + 1L);
            using var stream = File.OpenRead(path);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var reading = SpectrumFile.ReadAsync(stream, path);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            var error = Assert.ThrowsAny<SpectrumFormatException>(() => reading.GetAwaiter().GetResult());
            Assert.Contains(nameof(SpectrumLimits.MaxFileBytes), error.Reason);
            Assert.InRange(allocated, 0, 64 * 1024);
        }
        finally
        {
            File.Delete(path);
        }
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

    /// <summary>##NPOINTS=2^24 filled by one DUP count is refused before its 256 MB of axes are allocated.</summary>
    [Fact]
    public void JcampWithHugeNPointsAndDupIsRefusedBeforeAllocating()
    {
        var text = "##TITLE=dup\n##JCAMP-DX=4.24\n##XUNITS=1/CM\n##YUNITS=ABSORBANCE\n##FIRSTX=400\n##LASTX=4000\n"
            + "##NPOINTS=16777216\n##XYDATA=(X++(Y..Y))\n400 @" + Dup(16_777_216) + "\n##END=\n";
        // Padding after the block, so that the number of points is not more than 16 per byte left in the file.
        var data = Encoding.ASCII.GetBytes(text + new string('\n', 1_100_000));
        var (error, allocated) = Refused(data, "dup.jdx");
        Assert.Contains(nameof(SpectrumLimits.MaxPoints), error.Reason);
        Assert.Equal(7, error.Line);
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    /// <summary>Blocks that each stay under the per-spectrum limit cannot add up past the per-file one.</summary>
    [Fact]
    public void JcampBlocksAddUpToTheFileLimit()
    {
        var block = "##TITLE=dup\n##JCAMP-DX=4.24\n##XUNITS=1/CM\n##YUNITS=ABSORBANCE\n##FIRSTX=400\n##LASTX=4000\n"
            + $"##NPOINTS={SpectrumLimits.MaxPoints}\n##XYDATA=(X++(Y..Y))\n400 @{Dup(SpectrumLimits.MaxPoints)}\n##END=\n";
        var blocks = SpectrumLimits.MaxValues / SpectrumLimits.MaxPoints + 1;
        var text = new StringBuilder("##TITLE=link\n##JCAMP-DX=4.24\n##DATA TYPE=LINK\n");
        for (var i = 0; i < blocks; i++) text.Append(block);
        text.Append("##END=\n").Append('\n', 4 * MiB);
        var (error, allocated) = Refused(Encoding.ASCII.GetBytes(text.ToString()), "blocks.jdx");
        Assert.Contains(nameof(SpectrumLimits.MaxValues), error.Reason);
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    /// <summary>A JCAMP-DX line, or a record value over many lines, longer than the line limit is refused before it is decoded.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(1024)]
    public void JcampLongerThanTheLineLimitIsRefused(int lines)
    {
        var line = new string('x', SpectrumLimits.MaxLineBytes / lines + 1);
        var text = new StringBuilder("##TITLE=").Append(line);
        for (var i = 1; i < lines; i++) text.Append('\n').Append(line);
        text.Append("\n##NPOINTS=1\n##FIRSTX=1\n##LASTX=1\n##XYDATA=(X++(Y..Y))\n1 2\n##END=\n");
        var (error, allocated) = Refused(Encoding.ASCII.GetBytes(text.ToString()), "long.jdx");
        Assert.Contains(nameof(SpectrumLimits.MaxLineBytes), error.Reason);
        Assert.Equal(1, error.Line);
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    /// <summary>Every OPUS and JCAMP-DX fixture, relative to tests/fixtures/data.</summary>
    public static TheoryData<string> InstrumentFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in Fixtures.Files("data/opus")) data.Add($"opus/{Path.GetFileName(path)}");
        foreach (var relative in Jcamp.JcampFixtures.Names()) data.Add($"jcamp/{relative}");
        return data;
    }

    /// <summary>
    /// A read allocates its x and y arrays, the metadata it returns and little else (a few KB): no copy of the file, of its
    /// lines or of blocks it does not return, and no table grown by doubling. The allowances over 1.1 times x and y are the
    /// returned metadata: per JCAMP-DX spectrum its records (under 5 KB in every fixture); for OPUS three times the bytes of
    /// the parameter and text blocks, which become UTF-16 text, boxed values and a parameter set per spectrum.
    /// A JCAMP-DX file that is refused (NMR, MS, NTUPLES, a bad table) costs under 16 KB, whatever its size.
    /// Before: a PEAK TABLE of 2 × 2,074 points took 5.1 times its x and y, a DUP-compressed table 1.3–1.6 times, an NMR refusal 48 KB.
    /// </summary>
    [Theory]
    [MemberData(nameof(InstrumentFiles))]
    public void ReadingAllocatesCloseToWhatIsReturned(string file)
    {
        var data = Fixtures.ReadBytes($"data/{file}");
        var opus = file.StartsWith("opus/", StringComparison.Ordinal);
        IReadOnlyList<Spectrum> Read() => opus ? OpusReader.Read(data, file).Spectra : JcampReader.Read(data, file);
        IReadOnlyList<Spectrum>? spectra = null;
        try
        {
            Read(); // the first read fills the per-process caches of parameter codes and labels
        }
        catch (SpectrumFormatException)
        {
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            spectra = Read();
        }
        catch (SpectrumFormatException)
        {
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        if (spectra is null)
        {
            Assert.False(opus);
            Assert.InRange(allocated, 0, 16 * 1024);
            return;
        }
        var arrays = new HashSet<double[]>(ReferenceEqualityComparer.Instance);
        foreach (var spectrum in spectra)
        {
            arrays.Add(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsArray(spectrum.X)!);
            arrays.Add(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsArray(spectrum.Y)!);
        }
        var values = arrays.Sum(array => 24L + sizeof(double) * array.Length);
        var metadata = opus
            ? 3L * (data.Length - OpusReader.Read(data, file).DataBlocks.Sum(block => (long)block.Length)) + 8 * 1024
            : 4 * 1024 + 6 * 1024L * spectra.Count;
        Assert.InRange(allocated, values, (long)(1.1 * values) + metadata);
    }

    /// <summary>A DUP count in SQZ form: its first digit as S–Z (1–8) or s (9).</summary>
    private static string Dup(int count)
    {
        var digits = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (digits[0] == '9' ? "s" : ((char)('R' + digits[0] - '0')).ToString()) + digits[1..];
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
