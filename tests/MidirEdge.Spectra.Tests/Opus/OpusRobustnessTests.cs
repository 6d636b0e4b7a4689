using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using MidirEdge.Spectra.Formats;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;

namespace MidirEdge.Spectra.Tests.Opus;

/// <summary>Truncated, bit-flipped and hand-made hostile OPUS files fail with one <see cref="SpectrumFormatException"/>.</summary>
public sealed class OpusRobustnessTests
{
    private const string Soil = "BF_lo_01_soil_cal.1";

    /// <summary>Names of the fixture OPUS files.</summary>
    public static TheoryData<string> Files() => OpusReferenceTests.Files();

    /// <summary>1,000 seeded truncations and bit flips of each fixture raise only format errors.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void MutantsFailOnlyWithFormatErrors(string name) =>
        Mutations.AssertOnlyFormatErrors(name, Fixtures.ReadBytes($"data/opus/{name}"), b => OpusReader.Read(b, name));

    /// <summary>Empty, short and foreign files are rejected at the header.</summary>
    [Fact]
    public void NonOpusBytesAreRejected()
    {
        AssertFormatError([], 0);
        AssertFormatError([0x0A, 0x0A, 0xFE], 0);
        AssertFormatError(Fixtures.ReadBytes(SoilPath)[..24], 20);
        AssertFormatError(Encoding.ASCII.GetBytes("##TITLE= not an OPUS file\r\n##JCAMP-DX= 4.24\r\n"), 0);
        Assert.False(OpusReader.IsOpus(Fixtures.ReadBytes(Fixtures.Files("data/jcamp/ir")[0])));
        Assert.False(OpusReader.IsOpus([]));
    }

    /// <summary>An NPT of 2^31 - 1 or -2^31 (2^31 as int32) cannot be satisfied by the block and allocates nothing.</summary>
    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    [InlineData(0)]
    [InlineData(1717)]
    public void ImpossibleNptIsRejected(int npt)
    {
        var bytes = Soil_();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(ValueOffset(bytes, "ab_data_param", "NPT")), npt);
        var error = AssertFormatError(bytes);
        Assert.Contains("NPT", error.Reason);
    }

    /// <summary>A directory claiming millions of entries is rejected before anything is allocated for them.</summary>
    [Fact]
    public void DirectoryWithMillionsOfEntriesIsRejected()
    {
        var bytes = Soil_();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20), 5_000_000);
        AssertFormatError(bytes, 20);
    }

    /// <summary>Directory offsets outside the file are rejected.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(-24)]
    [InlineData(int.MaxValue)]
    public void DirectoryOutsideTheFileIsRejected(int offset)
    {
        var bytes = Soil_();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), offset);
        AssertFormatError(bytes, 12);
    }

    /// <summary>Block offsets and lengths past the end, or negative, are rejected with the entry's position.</summary>
    [Theory]
    [InlineData(4, int.MaxValue)]
    [InlineData(4, -1)]
    [InlineData(4, 9144)]
    [InlineData(8, 36576)]
    [InlineData(8, -8)]
    [InlineData(8, int.MaxValue)]
    public void BlockOutsideTheFileIsRejected(int field, int value)
    {
        var bytes = Soil_();
        var entry = EntryPosition(bytes, 16); // the ab data block
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(entry + field), value);
        var error = AssertFormatError(bytes);
        Assert.InRange(error.Offset!.Value, entry, entry + 11);
    }

    /// <summary>Two directory entries pointing into the same bytes are rejected.</summary>
    [Fact]
    public void OverlappingBlocksAreRejected()
    {
        var bytes = Soil_();
        var ab = EntryPosition(bytes, 16);
        var abParameters = EntryPosition(bytes, 17);
        var abOffset = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(ab + 8));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(abParameters + 8), abOffset + 400);
        Assert.Contains("overlaps", AssertFormatError(bytes).Reason);
    }

    /// <summary>A parameter whose size runs past its block is rejected at that parameter.</summary>
    [Fact]
    public void ParameterPastItsBlockIsRejected()
    {
        var bytes = Soil_();
        var value = ValueOffset(bytes, "sample", "SNM");
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(value - 2), ushort.MaxValue);
        Assert.Equal(value - 2, AssertFormatError(bytes).Offset);
    }

    /// <summary>Non-finite axis limits and unknown point formats are rejected.</summary>
    [Theory]
    [InlineData("FXV", double.NaN)]
    [InlineData("LXV", double.PositiveInfinity)]
    [InlineData("CSF", double.NegativeInfinity)]
    public void NonFiniteAxisIsRejected(string code, double value)
    {
        var bytes = Soil_();
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(ValueOffset(bytes, "ab_data_param", code)), value);
        Assert.Contains(code, AssertFormatError(bytes).Reason);
    }

    /// <summary>
    /// NaNs (signalling, quiet, with payloads, negative), signed zeros, infinities and subnormals come out as the exact
    /// double of each float, times the scale: a scale of 1 changes no bit.
    /// </summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void SpecialValuesKeepTheirBits(double scale)
    {
        uint[] floats = [0x7F800001, 0x7FC12345, 0xFFC00001, 0x80000000, 0x7F800000, 0xFF800000, 0x00000001, 0x7F7FFFFF, 0x3FC00000, 0xC0100000, 0x7FBFFFFF, 0x80000001];
        var bytes = Soil_();
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(ValueOffset(bytes, "ab_data_param", "CSF")), scale);
        var data = OpusReader.Read(Fixtures.ReadBytes(SoilPath), Soil).FindData("ab")!.Offset;
        for (var i = 0; i < floats.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(data + 4 * i), floats[i]);

        var y = OpusReader.Read(bytes, Soil).FindData("ab")!.Spectrum.Y;

        for (var i = 0; i < floats.Length; i++)
        {
            var widened = (double)BitConverter.UInt32BitsToSingle(floats[i]);
            var expected = scale == 1.0 ? widened : scale * widened;
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(y[i]));
        }
    }

    /// <summary>A data block without its data-parameter block is rejected.</summary>
    [Fact]
    public void DataBlockWithoutParametersIsRejected()
    {
        var bytes = Soil_();
        bytes[EntryPosition(bytes, 17)] = 200; // ab_data_param becomes an unknown block type
        Assert.Contains("ab_data_param", AssertFormatError(bytes).Reason);
    }

    /// <summary>A malformed or unrepresentable acquisition date is rejected rather than silently dropped.</summary>
    [Theory]
    [InlineData("06/xx/2015", "14:38:14.100")]
    [InlineData("31/02/2015", "14:38:14.100")]
    [InlineData("06/11/2015", "25:38:14.100")]
    [InlineData("01/01/0001", "00:00:00.000")] // UTC would fall before year 1
    public void MalformedDateIsRejected(string date, string time)
    {
        var bytes = Soil_();
        Encoding.ASCII.GetBytes(date).CopyTo(bytes, ValueOffset(bytes, "ab_data_param", "DAT"));
        Encoding.ASCII.GetBytes(time).CopyTo(bytes, ValueOffset(bytes, "ab_data_param", "TIM"));
        Assert.Contains("DAT", AssertFormatError(bytes).Reason);
    }

    /// <summary>
    /// DAT and TIM are read as the exact parsers ("dd/MM/yyyy"; "hh:mm:ss" with up to seven fraction digits) read them, whether
    /// the reader's direct path for the usual form takes them or leaves them to those parsers: same time, or the same refusal.
    /// </summary>
    [Theory]
    [InlineData("06/11/2015", "14:38:14.100")]
    [InlineData("06/11/2015", "14:38:14")]
    [InlineData("06/11/2015", "14:38:14.1")]
    [InlineData("06/11/2015", "14:38:14.1234567")]
    [InlineData("06/11/2015", "14:38:14.12345678")]
    [InlineData("06/11/2015", "14:38:14.")]
    [InlineData("06/11/2015", "14:38:14,100")]
    [InlineData("06/11/2015", "23:59:59.9999999")]
    [InlineData("06/11/2015", "24:00:00")]
    [InlineData("06/11/2015", "14:60:00")]
    [InlineData("06/11/2015", "14:38:60")]
    [InlineData("06/11/2015", "4:38:14.100")]
    [InlineData("06/11/2015", "14:38:1x.100")]
    [InlineData("29/02/2016", "14:38:14")]
    [InlineData("29/02/2015", "14:38:14")]
    [InlineData("00/11/2015", "14:38:14")]
    [InlineData("06/00/2015", "14:38:14")]
    [InlineData("06/13/2015", "14:38:14")]
    [InlineData("06/11/0000", "14:38:14")]
    [InlineData("6/11/2015", "14:38:14")]
    [InlineData("06-11-2015", "14:38:14")]
    [InlineData("31/12/9999", "00:00:00")]
    public void DateAndTimeAreReadAsTheExactParsersReadThem(string date, string time)
    {
        var bytes = Soil_();
        SetText(bytes, "DAT", date);
        SetText(bytes, "TIM", time + " (GMT)");
        var valid = DateTime.TryParseExact(date, "dd/MM/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            & TimeSpan.TryParseExact(time, [@"hh\:mm\:ss\.FFFFFFF", @"hh\:mm\:ss"], CultureInfo.InvariantCulture, out var timeOfDay);
        if (!valid)
        {
            Assert.Contains("DAT", AssertFormatError(bytes).Reason);
            return;
        }
        var acquired = OpusReader.Read(bytes, "time.1").FindData("ab")!.Spectrum.Metadata.AcquiredUtc;
        Assert.Equal(new DateTimeOffset(day + timeOfDay, TimeSpan.Zero), acquired);
    }

    /// <summary>Writes <paramref name="text"/> NUL-padded into the value of <paramref name="code"/> in ab_data_param.</summary>
    private static void SetText(byte[] bytes, string code, string text)
    {
        var at = ValueOffset(bytes, "ab_data_param", code);
        var field = bytes.AsSpan(at, 2 * BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at - 2)));
        Assert.True(text.Length < field.Length, $"{text} does not fit {code}");
        field.Clear();
        Encoding.ASCII.GetBytes(text).CopyTo(field);
    }

    /// <summary>
    /// Tens of thousands of 4-byte data blocks (NPT 1) cost each a spectrum with its metadata: more than
    /// <see cref="SpectrumLimits.MaxSpectra"/> are refused before any is built, fewer share their parameters.
    /// </summary>
    [Theory]
    [InlineData(60_000, 40)]
    [InlineData(100_000, 12)]
    public void TinyDataBlocksAreBoundedPerFile(int blocks, int allowedMiB)
    {
        var bytes = WithTinyDataBlocks(blocks - 1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        if (blocks < SpectrumLimits.MaxSpectra)
        {
            Assert.Equal(blocks, OpusReader.Read(bytes, "tiny.0").DataBlocks.Count(b => b.Name == "ab"));
        }
        else
        {
            var error = AssertFormatError(bytes);
            Assert.Contains(nameof(SpectrumLimits.MaxSpectra), error.Reason);
        }
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, allowedMiB * 1024L * 1024);
    }

    /// <summary>An NPT above <see cref="SpectrumLimits.MaxPoints"/> is refused even when the block holds that many values.</summary>
    [Fact]
    public void NptAboveThePointLimitIsRefused()
    {
        var bytes = WithTinyDataBlocks(0, points: SpectrumLimits.MaxPoints + 1);
        Assert.Contains(nameof(SpectrumLimits.MaxPoints), AssertFormatError(bytes).Reason);
    }

    /// <summary>A 16 MB text block is decoded straight into its string: no more allocated than the string's 32 MB and a little.</summary>
    [Fact]
    public void LargeTextBlockAllocatesOnlyItsString()
    {
        const int TextBytes = 16 * 1024 * 1024;
        var original = Soil_();
        var directory = BinaryPrimitives.ReadInt32LittleEndian(original.AsSpan(12));
        var count = BinaryPrimitives.ReadInt32LittleEndian(original.AsSpan(20));
        var newDirectory = original.Length;
        var text = newDirectory + 12 * (count + 1);
        var bytes = new byte[text + TextBytes];
        original.CopyTo(bytes, 0);
        original.AsSpan(directory, 12 * count).CopyTo(bytes.AsSpan(newDirectory));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), newDirectory);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), count + 1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20), count + 1);
        var entry = newDirectory + 12 * count; // block, channel, text and additional type 0: text_information
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(entry + 4), TextBytes / 4);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(entry + 8), text);
        bytes.AsSpan(text).Fill((byte)'a');

        var before = GC.GetAllocatedBytesForCurrentThread();
        var file = OpusReader.Read(bytes, "text.0");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(TextBytes, file.TextBlocks.Single(b => b.Name == "text_information").Text.Length);
        Assert.InRange(allocated, 2L * TextBytes, 2L * TextBytes + 1024 * 1024);
    }

    /// <summary>The soil fixture with NPT of ab set to <paramref name="points"/> and <paramref name="extra"/> more ab blocks of that many values.</summary>
    private static byte[] WithTinyDataBlocks(int extra, int points = 1)
    {
        var original = Soil_();
        BinaryPrimitives.WriteInt32LittleEndian(original.AsSpan(ValueOffset(original, "ab_data_param", "NPT")), points);
        var directory = BinaryPrimitives.ReadInt32LittleEndian(original.AsSpan(12));
        var count = BinaryPrimitives.ReadInt32LittleEndian(original.AsSpan(20));
        var ab = EntryPosition(original, 16);
        var blockBytes = 4 * points;
        var newDirectory = original.Length;
        var data = newDirectory + 12 * (count + extra);
        var bytes = new byte[data + (long)blockBytes * (extra + 1)];
        original.CopyTo(bytes, 0);
        original.AsSpan(directory, 12 * count).CopyTo(bytes.AsSpan(newDirectory));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), newDirectory);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), count + extra);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20), count + extra);
        // The original ab entry moves to the first new block, so that NPT fits whatever its size.
        var abEntry = newDirectory + (ab - directory);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(abEntry + 4), points);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(abEntry + 8), data);
        for (var i = 0; i < extra; i++)
        {
            var entry = newDirectory + 12 * (count + i);
            original.AsSpan(ab, 4).CopyTo(bytes.AsSpan(entry));
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(entry + 4), points);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(entry + 8), data + blockBytes * (i + 1));
        }
        return bytes;
    }

    private static string SoilPath => $"data/opus/{Soil}";

    private static byte[] Soil_() => Fixtures.ReadBytes(SoilPath);

    private static SpectrumFormatException AssertFormatError(byte[] bytes, long? offset = null)
    {
        var error = Assert.ThrowsAny<SpectrumFormatException>(() => OpusReader.Read(bytes, "hostile.0"));
        Assert.Equal("hostile.0", error.File);
        Assert.NotNull(error.Offset);
        if (offset is { } expected) Assert.Equal(expected, error.Offset);
        return error;
    }

    private static int EntryPosition(byte[] bytes, int index) =>
        BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)) + 12 * index;

    /// <summary>File offset of the value of <paramref name="code"/> in the named parameter block of the soil fixture.</summary>
    private static int ValueOffset(byte[] bytes, string block, string code)
    {
        var parsed = OpusReader.Read(Fixtures.ReadBytes(SoilPath), Soil).FindParameters(block)!;
        var start = parsed.Offset;
        var at = bytes.AsSpan(start, parsed.Length).IndexOf(Encoding.ASCII.GetBytes(code + "\0"));
        Assert.True(at >= 0, $"{code} not in {block}");
        return start + at + 8;
    }
}
