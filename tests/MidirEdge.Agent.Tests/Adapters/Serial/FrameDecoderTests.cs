using System.Text;
using MidirEdge.Agent.Adapters.Serial;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Tests.Adapters.Serial;

public sealed class FrameDecoderTests
{
    private static readonly Spectrum Ramp = Spectrum.Create([4000, 3000, 2000, 1000], [0.25, 0.5, 0.75, 1.0], XUnit.Wavenumber, YKind.Absorbance,
        new SpectrumMetadata { SampleName = "S-17" });

    private static SerialProfile Ascii(AsciiData data, AsciiChecksum checksum) => new()
    {
        Protocol = SerialProtocol.AsciiLines,
        YKind = YKind.Absorbance,
        XUnit = XUnit.Wavenumber,
        Axis = new SpectrumAxis(4000, 1000, 4),
        AsciiLines = new AsciiLinesProfile
        {
            StartMarker = "BEGIN", EndMarker = "END", Data = data, Checksum = checksum,
            Header = new Dictionary<string, string> { ["SAMPLE"] = "sampleName" }, NewLine = "\n",
        },
    };

    private static SerialProfile Binary(BinaryValueType type, double scale, bool bigEndian) => new()
    {
        Protocol = SerialProtocol.BinaryFrames,
        YKind = YKind.Absorbance,
        XUnit = XUnit.Wavenumber,
        Axis = new SpectrumAxis(4000, 1000, null),
        BinaryFrames = new BinaryFramesProfile { Sync = [0xA5, 0x5A], ValueType = type, Scale = scale, BigEndian = bigEndian },
    };

    private static List<FrameResult> Feed(SerialProfile profile, byte[] bytes, int chunk)
    {
        var decoder = FrameDecoder.Create(profile);
        var results = new List<FrameResult>();
        for (var i = 0; i < bytes.Length; i += chunk)
            decoder.Feed(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)), results);
        return results;
    }

    [Fact]
    public void Crc16_ccitt_false_gives_the_catalogued_check_value() =>
        Assert.Equal(0x29B1, Crc16Ccitt.Compute("123456789"u8));

    [Theory]
    [InlineData(AsciiData.XY, AsciiChecksum.Crc32)]
    [InlineData(AsciiData.Y, AsciiChecksum.Sum)]
    [InlineData(AsciiData.Y, AsciiChecksum.None)]
    public void Ascii_frame_round_trips_byte_by_byte(AsciiData data, AsciiChecksum checksum)
    {
        var profile = Ascii(data, checksum);
        var results = Feed(profile, [.. "noise\n"u8, .. FrameEncoder.Encode(profile, Ramp)], chunk: 1);
        var spectrum = Assert.Single(results).Spectrum!;
        Assert.Equal(Ramp.X.ToArray(), spectrum.X.ToArray());
        Assert.Equal(Ramp.Y.ToArray(), spectrum.Y.ToArray());
        Assert.Equal("S-17", spectrum.Metadata.SampleName);
    }

    [Fact]
    public void Ascii_checksum_mismatch_drops_the_frame_and_the_next_one_decodes()
    {
        var profile = Ascii(AsciiData.Y, AsciiChecksum.Sum);
        var frame = Encoding.UTF8.GetString(FrameEncoder.Encode(profile, Ramp));
        var tampered = frame.Replace("\n0.5\n", "\n0.6\n", StringComparison.Ordinal);
        var results = Feed(profile, Encoding.UTF8.GetBytes(tampered + frame), chunk: 7);
        Assert.Equal(2, results.Count);
        Assert.Contains("sum mismatch", results[0].Error);
        Assert.NotNull(results[1].Spectrum);
    }

    [Fact]
    public void Ascii_frame_with_a_wrong_point_count_or_a_bad_line_is_dropped()
    {
        var profile = Ascii(AsciiData.Y, AsciiChecksum.None);
        var results = Feed(profile, "BEGIN\n1\n2\n3\nEND\nBEGIN\n1\nfoo\n2\nEND\n"u8.ToArray(), chunk: 64);
        Assert.Equal(2, results.Count);
        Assert.Contains("axis has 4", results[0].Error);
        Assert.Contains("data line 2", results[1].Error);
    }

    [Theory]
    [InlineData(BinaryValueType.Float32, 1.0, false)]
    [InlineData(BinaryValueType.Int32, 1e-6, true)]
    [InlineData(BinaryValueType.UInt16, 1.0 / 65535, false)]
    public void Binary_frame_round_trips_across_split_reads(BinaryValueType type, double scale, bool bigEndian)
    {
        var profile = Binary(type, scale, bigEndian);
        var frame = FrameEncoder.Encode(profile, Ramp);
        var results = Feed(profile, [.. frame, .. frame], chunk: 3);
        Assert.Equal(2, results.Count);
        foreach (var r in results)
        {
            Assert.Equal(Ramp.X.ToArray(), r.Spectrum!.X.ToArray());
            for (var i = 0; i < Ramp.Length; i++) Assert.Equal(Ramp.Y[i], r.Spectrum.Y[i], scale);
            Assert.Equal(frame, r.Bytes);
        }
    }

    [Fact]
    public void Binary_implausible_length_resynchronises_on_the_next_sync()
    {
        var profile = Binary(BinaryValueType.Float32, 1.0, false);
        byte[] fake = [0xA5, 0x5A, 0xFF, 0xFF];   // claims 65535 bytes: not a multiple of 4
        var results = Feed(profile, [.. fake, .. FrameEncoder.Encode(profile, Ramp)], chunk: 5);
        Assert.Contains(results, r => r.Error?.Contains("not a multiple of 4", StringComparison.Ordinal) == true);
        Assert.Single(results, r => r.Spectrum is not null);
    }

    [Fact]
    public void Encoder_refuses_values_that_do_not_fit_the_payload_type() =>
        Assert.Throws<ArgumentException>(() => FrameEncoder.Encode(Binary(BinaryValueType.UInt16, 1e-6, false), Ramp));
}
