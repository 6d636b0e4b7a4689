using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using MidirEdge.Spectra.Formats.Opus;
using MidirEdge.Tests;

namespace MidirEdge.Spectra.Tests.Opus;

/// <summary>What the spectra of an OPUS file carry: units, kinds and metadata.</summary>
public sealed class OpusSpectrumTests
{
    private static OpusFile Read(string name) => OpusReader.Read(Fixtures.ReadBytes($"data/opus/{name}"), name);

    /// <summary>The soil fixture gives four wavenumber spectra in directory order with its sample, instrument and times.</summary>
    [Fact]
    public void SoilFileCarriesMetadata()
    {
        var opus = Read("BF_lo_01_soil_cal.1");

        Assert.Equal(["sc_sample", "ab_no_atm_comp", "sc_ref", "ab"], opus.Spectra.Select(s => s.Metadata.Block));
        Assert.Equal([YKind.SingleChannel, YKind.Absorbance, YKind.SingleChannel, YKind.Absorbance], opus.Spectra.Select(s => s.YKind));
        Assert.All(opus.Spectra, s => Assert.Equal(XUnit.Wavenumber, s.XUnit));
        Assert.Equal("BF_lo_01_soil_cal", opus.SampleName);
        var acquired = new DateTimeOffset(2015, 11, 6, 13, 38, 14, 100, TimeSpan.Zero);
        Assert.Equal(acquired, opus.AcquiredUtc);
        Assert.Equal(new DateTimeOffset(2015, 11, 6, 13, 39, 33, TimeSpan.Zero), opus.SavedUtc);

        var ab = opus.FindData("ab")!.Spectrum;
        Assert.Equal("BF_lo_01_soil_cal", ab.Metadata.SampleName);
        Assert.Equal("Alpha", ab.Metadata.Instrument);
        Assert.Equal(4.0, ab.Metadata.Resolution);
        Assert.Equal(acquired, ab.Metadata.AcquiredUtc);
        Assert.Equal("BF_lo_01_soil_cal.1", ab.Metadata.SourceFile);
        Assert.Equal(1716L, ab.Metadata.Parameters["NPT"]);
        Assert.Equal(1.46685123443604, (double)ab.Metadata.Parameters["MXY"], 1e-12);
        Assert.Equal("DRIFT #8490E782D", ab.Metadata.Parameters["ACC"]);
        Assert.Equal(1891L, ab.Metadata.Parameters["RSN"]);
        Assert.Equal("H2Ocomp ([<FILE>:ScSm], [<FILE>:ScRf], {H2O=3});", ab.Metadata.Parameters["TCL"]);
        Assert.Equal("B3", ab.Metadata.Parameters["APF"]);
        Assert.Equal(3997.39681101797, ab.X[0], 1e-9);
        Assert.Equal(499.674601377246, ab.X[^1], 1e-9);
    }

    /// <summary>Reference-channel spectra take the *_ref parameter blocks and their own acquisition time.</summary>
    [Fact]
    public void ReferenceChannelTakesReferenceParameters()
    {
        var reference = Read("BF_lo_01_soil_cal.1").FindData("sc_ref")!.Spectrum;

        Assert.Equal(102691L, reference.Metadata.Parameters["RSN"]);
        Assert.Equal(64L, reference.Metadata.Parameters["NSR"]);
        Assert.False(reference.Metadata.Parameters.ContainsKey("NSS"));
        Assert.Equal(1722L, reference.Metadata.Parameters["NPT"]);
        Assert.Equal(new DateTimeOffset(2015, 11, 6, 13, 30, 10, 940, TimeSpan.Zero), reference.Metadata.AcquiredUtc);
    }

    /// <summary>
    /// Each spectrum's parameters are its data-parameter block's values over sample, instrument, optics, acquisition and
    /// fourier_transformation (the *_ref ones for sc_ref, ig_ref and ph_ref), the first holding a code winning; they are
    /// enumerated in ordinal code order, counted and looked up alike, and unknown codes are absent.
    /// </summary>
    [Theory]
    [MemberData(nameof(OpusReferenceTests.Files), MemberType = typeof(OpusReferenceTests))]
    public void SpectrumParametersLayerTheBlocks(string name)
    {
        var opus = Read(name);
        foreach (var block in opus.DataBlocks)
        {
            var suffix = block.BlockType == 11 ? "_ref" : "";
            string[] order = [block.Name + "_data_param", "sample", "instrument" + suffix, "optics" + suffix, "acquisition" + suffix, "fourier_transformation" + suffix];
            var expected = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var blockName in order)
                foreach (var parameter in opus.FindParameters(blockName)?.Parameters ?? [])
                    expected.TryAdd(parameter.Code, parameter.Value);

            var parameters = block.Spectrum.Metadata.Parameters;
            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), parameters);
            Assert.Equal(expected.Count, parameters.Count);
            Assert.Equal(parameters.Select(p => p.Key), parameters.Keys);
            Assert.Equal(parameters.Select(p => p.Value), parameters.Values);
            foreach (var (code, value) in expected)
            {
                Assert.True(parameters.TryGetValue(code, out var found));
                Assert.Same(value, found);
                Assert.Same(value, parameters[code]);
            }
            Assert.False(parameters.ContainsKey("NP"));
            Assert.False(parameters.ContainsKey("NPTX"));
            Assert.False(parameters.TryGetValue("", out _));
            Assert.Throws<KeyNotFoundException>(() => parameters["ZZZZ"]);
        }
    }

    /// <summary>Parameters first read from several threads at once (they are merged on first use) come out the same on every thread.</summary>
    [Fact]
    public void ParametersMergedOnFirstUseAgreeAcrossThreads()
    {
        var expected = Read("MMP_2107_Test1.001").Spectra.Select(s => s.Metadata.Parameters.ToArray()).ToArray();
        for (var round = 0; round < 20; round++)
        {
            var spectra = Read("MMP_2107_Test1.001").Spectra;
            using var start = new Barrier(4);
            var seen = new System.Collections.Concurrent.ConcurrentBag<(int Count, KeyValuePair<string, object>[] Pairs)[]>();
            var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
            {
                start.SignalAndWait();
                seen.Add(spectra.Select(s => (s.Metadata.Parameters.Count, Pairs: s.Metadata.Parameters.ToArray())).ToArray());
            })).ToArray();
            foreach (var thread in threads) thread.Start();
            foreach (var thread in threads) thread.Join();
            Assert.Equal(4, seen.Count);
            foreach (var thread in seen)
            {
                Assert.Equal(expected.Select(p => p.Length), thread.Select(s => s.Count));
                Assert.Equal(expected, thread.Select(s => s.Pairs));
            }
        }
    }

    /// <summary>Spectra with the same axis share one x array.</summary>
    [Fact]
    public void EqualAxesAreShared()
    {
        var opus = Read("BF_lo_01_soil_cal.1");
        Assert.True(opus.FindData("ab")!.Spectrum.X == opus.FindData("sc_sample")!.Spectrum.X);
        Assert.False(opus.FindData("ab")!.Spectrum.X == opus.FindData("sc_ref")!.Spectrum.X);
    }

    /// <summary>Interferograms are in points, reflectance files give reflectance, match blocks are arbitrary.</summary>
    [Fact]
    public void KindsAndUnitsFollowTheBlocks()
    {
        var interferogram = Read("617262_1TP_C-1_A5.0").FindData("ig_sample")!.Spectrum;
        Assert.Equal(YKind.Interferogram, interferogram.YKind);
        Assert.Equal(XUnit.Points, interferogram.XUnit);
        Assert.Equal(0.00390625, (double)interferogram.Metadata.Parameters["CSF"]);

        Assert.Equal(YKind.Reflectance, Read("test_spectra.0").FindData("refl_no_atm_comp")!.Spectrum.YKind);

        var match = Read("issue82_Opus_test.0").FindData("match")!.Spectrum;
        Assert.Equal(YKind.Arbitrary, match.YKind);
        Assert.Equal(XUnit.Other, match.XUnit);
    }

    /// <summary>Text in code page 1252 decodes as opusreader2 decodes it.</summary>
    [Fact]
    public void TextIsWindows1252()
    {
        Assert.Equal("617262\u20181TP C-1", Read("617262_1TP_C-1_A5.0").SampleName);
        Assert.Contains("Catégories", (string)Read("issue82_Opus_test.0").FindParameters("report_unknown")!.Parameters[3].Value);
    }

    /// <summary>The history block's text keeps its pieces on separate lines.</summary>
    [Fact]
    public void HistoryIsReadable()
    {
        var history = Assert.Single(Read("BF_lo_01_soil_cal.1").TextBlocks, t => t.Name == "history");
        Assert.Contains("Save File\t\t2015/11/06 14:39:33 (GMT+1)", history.Text);
        Assert.DoesNotContain('\0', history.Text);
    }

    /// <summary>
    /// Values and axes are the scalar formulas bit for bit at every length: y = CSF · value, x[i] = FXV + i · step and
    /// x[^1] = LXV (FXV for one point), whether a length fills whole vectors, ends in a part of one or is shorter than one.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(1715)]
    [InlineData(1716)]
    public void ValuesAndAxesAreExactAtEveryLength(int points)
    {
        const double Scale = 0.1;
        var bytes = Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1");
        var original = OpusReader.Read(bytes, "soil.1");
        var parameters = original.FindParameters("ab_data_param")!;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(ValueOffset(bytes, parameters, "NPT")), points);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(ValueOffset(bytes, parameters, "CSF")), Scale);

        var ab = OpusReader.Read(bytes, "soil.1").FindData("ab")!;
        var first = (double)parameters.Parameters.Single(p => p.Code == "FXV").Value;
        var last = (double)parameters.Parameters.Single(p => p.Code == "LXV").Value;
        var step = (last - first) / (points - 1);
        Assert.Equal(points, ab.Spectrum.Length);
        for (var i = 0; i < points; i++)
        {
            var value = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(ab.Offset + 4 * i));
            Assert.Equal(BitConverter.DoubleToInt64Bits(Scale * value), BitConverter.DoubleToInt64Bits(ab.Spectrum.Y[i]));
            var x = i == 0 ? first : i == points - 1 ? last : first + i * step;
            Assert.Equal(BitConverter.DoubleToInt64Bits(x), BitConverter.DoubleToInt64Bits(ab.Spectrum.X[i]));
        }
    }

    /// <summary>Text pieces are joined by one line break however many NULs part them, and 0x80–0x9F decode as in code page 1252 in short and long pieces.</summary>
    [Fact]
    public void TextPiecesJoinAndDecodeAsWindows1252()
    {
        var bytes = Fixtures.ReadBytes("data/opus/BF_lo_01_soil_cal.1");
        var history = OpusReader.Read(bytes, "soil.1").TextBlocks.Single(t => t.Name == "history");
        var block = bytes.AsSpan(history.Offset, history.Length);
        block.Clear();
        byte[] text = [0, 0, (byte)'a', (byte)'b', 0, 0, 0, (byte)'c', 0x80, 0x9F, (byte)'d', 0, .. new byte[40].Select((_, i) => (byte)('A' + i % 26)), 0x85, (byte)'e', 0xE9, 0];
        text.CopyTo(block);

        var decoded = OpusReader.Read(bytes, "soil.1").TextBlocks.Single(t => t.Name == "history").Text;

        Assert.Equal("ab\nc\u20AC\u0178d\nABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN\u2026e\u00E9", decoded);
    }

    /// <summary>File offset of the value of <paramref name="code"/> in <paramref name="block"/>.</summary>
    private static int ValueOffset(byte[] bytes, OpusParameterBlock block, string code)
    {
        var at = bytes.AsSpan(block.Offset, block.Length).IndexOf(Encoding.ASCII.GetBytes(code + "\0"));
        Assert.True(at >= 0, $"{code} not in {block.Name}");
        return block.Offset + at + 8;
    }

    /// <summary>The AB block equals the same soil's row of the published yamsys data set (absorbance at 1716 wavenumbers).</summary>
    [Fact]
    public void AbsorbanceMatchesPublishedDataSet()
    {
        var ab = Read("BF_lo_01_soil_cal.1").FindData("ab")!.Spectrum;
        var lines = Encoding.UTF8.GetString(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz")).Split('\n');
        var header = lines[0].Split(',');
        var row = lines.First(l => l.StartsWith("\"BF_lo_01_soil_cal.1\"", StringComparison.Ordinal)).TrimEnd('\r').Split(',');
        var first = Array.FindIndex(header, h => double.TryParse(h.Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out _));

        Assert.Equal(ab.Length, header.Length - first);
        for (var i = 0; i < ab.Length; i++)
        {
            Assert.Equal(double.Parse(header[first + i].Trim('"'), CultureInfo.InvariantCulture), ab.X[i], 1e-3);
            var expected = double.Parse(row[first + i], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(ab.Y[i] - expected) <= 1e-12 * Math.Abs(expected), $"point {i}: {ab.Y[i]:R} vs {expected:R}");
        }
    }
}
