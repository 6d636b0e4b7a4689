using System.Globalization;
using System.Text;
using MidirEdge.Spectra.Formats.Jcamp;
using MidirEdge.Tests;

namespace MidirEdge.Spectra.Tests.Jcamp;

/// <summary>Encodings, units, metadata and block handling of <see cref="JcampReader"/>.</summary>
public sealed class JcampReaderTests
{
    private static IReadOnlyList<Spectrum> Read(string text) => JcampReader.Read(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n")), "test.jdx");

    private static string Block(string table, string extra = "", string title = "t", string type = "INFRARED SPECTRUM") => $"""
        ##TITLE={title}
        ##JCAMP-DX=5.01
        ##DATA TYPE={type}
        ##XUNITS=1/CM
        ##YUNITS=ABSORBANCE
        {extra}
        {table}
        ##END=

        """;

    /// <summary>
    /// A last line holding only a Y check value that does not match (as old SpectraFile exports end their tables) is
    /// ignored, as jcampconverter ignores it, with a warning; anywhere else, or followed by more values, it is an error.
    /// </summary>
    [Fact]
    public void UnmatchedCheckValueAloneOnTheLastLineIsAWarning()
    {
        const string extra = "##FIRSTX=1\n##LASTX=8\n##NPOINTS=8";
        var spectrum = Assert.Single(Read(Block("##XYDATA=(X++(Y..Y))\n1 A0J0J0J0\n5 D0J0J0J0J0\n9 E1 $$ check", extra)));
        Assert.Equal([10, 20, 30, 40, 50, 60, 70, 80], spectrum.Y.ToArray());
        var warning = Assert.Single(spectrum.Metadata.Warnings);
        Assert.Contains("check value 51", warning);
        Assert.Contains("jcampconverter", warning);

        Assert.Empty(Assert.Single(Read(Block("##XYDATA=(X++(Y..Y))\n1 A0J0J0J0\n5 D0J0J0J0J0\n9 H0", extra))).Metadata.Warnings);
        var notLast = Assert.Throws<SpectrumFormatException>(() =>
            Read(Block("##XYDATA=(X++(Y..Y))\n1 A0J0J0J0\n5 E1\n6 D0J0J0J0J0", extra)));
        Assert.Contains("check", notLast.Reason);
        Assert.Equal(11, notLast.Line);
    }

    /// <summary>The same ordinates in AFFN, PAC, SQZ, DIF, DUP and mixed forms decode alike.</summary>
    [Theory]
    [InlineData("400 10 20 30 40 40 40 30 20\n408 10 -5")]
    [InlineData("400+10+20+30+40+40+40+30+20\n408+10-5")]
    [InlineData("400A0B0C0D0D0D0C0B0\n408A0e")]
    [InlineData("400A0J0J0J0%%j0j0\n407B0j0j5")]
    [InlineData("400A0J0TJ0%Tj0T\n407B0j0j5")]
    [InlineData("400 10 B0J0 40 D0T C0\n407,B0,A0,-5")]
    public void AllFormsDecodeAlike(string data)
    {
        var spectrum = Assert.Single(Read(Block("##XYDATA=(X++(Y..Y))\n" + data,
            "##FIRSTX=400\n##LASTX=409\n##NPOINTS=10\n##YFACTOR=0.5")));
        Assert.Equal([5, 10, 15, 20, 20, 20, 15, 10, 5, -2.5], spectrum.Y.ToArray());
        Assert.Equal(400, spectrum.X[0]);
        Assert.Equal(409, spectrum.X[^1]);
        Assert.Equal(401, spectrum.X[1], 1e-12);
    }

    /// <summary>
    /// 400 seeded random AFFN ordinates (up to 22 digits, points, exponents, signs written against the previous value)
    /// decode to exactly what double.Parse gives for each.
    /// </summary>
    [Fact]
    public void AffnOrdinatesDecodeAsDoubleParse()
    {
        var random = new Random(2);
        var table = new StringBuilder("##XYDATA=(X++(Y..Y))\n");
        var expected = new List<double>();
        for (var line = 0; line < 40; line++)
        {
            table.Append(line * 10);
            for (var k = 0; k < 10; k++)
            {
                var digits = new string([.. Enumerable.Range(0, random.Next(1, 23)).Select(_ => (char)('0' + random.Next(10)))]);
                var point = random.Next(digits.Length + 1);
                var token = (random.Next(2) == 0 ? "-" : "+") + digits[..point] + (point < digits.Length && random.Next(2) == 0 ? "." : "") + digits[point..];
                if (random.Next(3) == 0) token += (random.Next(2) == 0 ? "E-" : "e+") + random.Next(40).ToString("00", CultureInfo.InvariantCulture);
                table.Append(token.StartsWith('+') && random.Next(2) == 0 ? " " + token[1..] : token);
                expected.Add(double.Parse(token, CultureInfo.InvariantCulture));
            }
            table.Append(line % 3 == 0 ? "$$ a comment\n" : "\n");
        }
        var spectrum = Assert.Single(Read(Block(table.ToString(), "##FIRSTX=0\n##LASTX=399\n##NPOINTS=400")));
        for (var i = 0; i < expected.Count; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(spectrum.Y[i]), $"value {i}: {expected[i]:R} expected, {spectrum.Y[i]:R} read");
    }

    /// <summary>
    /// SQZ and DIF values with decimals and long digit runs, DUP after DIF, a Y check value, a comment straight after a value,
    /// and numbers too long for the fast path decode as double.Parse and double additions give them.
    /// </summary>
    [Fact]
    public void CompressedLongAndDecimalValuesDecodeExactly()
    {
        var spectrum = Assert.Single(Read(Block(
            "##XYDATA=(X++(Y..Y))\n1 A.5J.25K123456789012j7T$$ comment\n6 2123456788980.75 a12345678901234567890.5%T 9.0000000000000000001\n9 @9.0000000000000000001",
            "##FIRSTX=1\n##LASTX=10\n##NPOINTS=10")));
        static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);
        var y1 = Parse("1.5") + Parse("1.25");
        var y2 = y1 + Parse("2123456789012");
        var y3 = y2 + -Parse("17");
        var y4 = y3 + -Parse("17");
        var y5 = -Parse("112345678901234567890.5");
        double[] expected = [Parse("1.5"), y1, y2, y3, y4, y5, y5 + 0.0, y5 + 0.0 + 0.0, Parse("9.0000000000000000001"), Parse("09.0000000000000000001")];
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), spectrum.Y.Select(BitConverter.DoubleToInt64Bits));
    }

    /// <summary>
    /// SQZ and DIF values whose digit runs lie on both sides of the 15 digits read as exact integers, and a DUP count after
    /// a DIF value, decode as double.Parse and double additions give them; a DIF value or a DUP count first on its line is refused.
    /// </summary>
    [Fact]
    public void DigitRunsAroundTheExactLimitDecodeExactly()
    {
        var spectrum = Assert.Single(Read(Block(
            "##XYDATA=(X++(Y..Y))\n1 A99999999999999 j99999999999999 J999999999999999 a999999999999999 K0T",
            "##FIRSTX=1\n##LASTX=6\n##NPOINTS=6")));
        static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);
        var y1 = Parse("199999999999999");
        var y2 = y1 + -Parse("199999999999999");
        var y3 = y2 + Parse("1999999999999999");
        var y4 = -Parse("1999999999999999");
        var y5 = y4 + Parse("20");
        double[] expected = [y1, y2, y3, y4, y5, y5 + Parse("20")];
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), spectrum.Y.Select(BitConverter.DoubleToInt64Bits));

        const string extra = "##FIRSTX=1\n##LASTX=2\n##NPOINTS=2";
        Assert.Contains("DIF value has no value before it", Assert.Throws<SpectrumFormatException>(() => Read(Block("##XYDATA=(X++(Y..Y))\n1 J5 A0", extra))).Reason);
        Assert.Contains("DUP count has no value before it", Assert.Throws<SpectrumFormatException>(() => Read(Block("##XYDATA=(X++(Y..Y))\n1 A0\n2 T", extra))).Reason);
    }

    /// <summary>Long DUP runs, after an absolute value and after a DIF value, fill past the first buffer (sized from the bytes left) exactly.</summary>
    [Theory]
    [InlineData("1 A0s99", 999, 0)]
    [InlineData("1 A0J1s98", 999, 11)]
    public void LongDupRunsOutgrowTheFirstBuffer(string data, int points, int step)
    {
        // The comment makes room for 16 points per byte; the first buffer holds half a point per byte.
        var table = $"##XYDATA=(X++(Y..Y))\n{data}$${new string('-', 80)}";
        var spectrum = Assert.Single(Read(Block(table, $"##FIRSTX=1\n##LASTX={points}\n##NPOINTS={points}")));
        Assert.Equal(Enumerable.Range(0, points).Select(k => 10.0 + k * step), spectrum.Y);
    }

    /// <summary>
    /// An ##NPOINTS over the limit is refused before any block is read, naming its line whatever the line endings (CR LF,
    /// CR, LF, after a byte order mark); a "##" inside a line is not a record, one after blanks is.
    /// </summary>
    [Theory]
    [InlineData("\r\n", false)]
    [InlineData("\r", false)]
    [InlineData("\n", true)]
    [InlineData("\n\r", true)]
    public void TooManyDeclaredPointsNameTheirLine(string lineBreak, bool byteOrderMark)
    {
        var text = string.Join(lineBreak, "##TITLE=t", "##NPOINTS=5 ##NPOINTS=9999999", "", "  ##NPOINTS=2000000", "##END=") + lineBreak;
        var bytes = Encoding.UTF8.GetBytes(text);
        if (byteOrderMark) bytes = [0xEF, 0xBB, 0xBF, .. bytes];
        var error = Assert.Throws<SpectrumFormatException>(() => JcampReader.Read(bytes, "test.jdx"));
        var lines = lineBreak == "\n\r" ? 6 : 4;
        Assert.Equal(lines, error.Line);
        Assert.Contains("##NPOINTS=2000000", error.Reason);
    }

    /// <summary>
    /// Record values and labels with non-ASCII text decode as UTF-8 when they are valid UTF-8 and as Latin-1 otherwise;
    /// labels become keys in upper case, 'ü' included.
    /// </summary>
    [Fact]
    public void NonAsciiTextDecodesAsUtf8OrLatin1()
    {
        var text = Block("##XYDATA=(X++(Y..Y))\n1 10 20", "##FIRSTX=1\n##LASTX=2\n##NPOINTS=2\n##$Bemerkung ü= Messung bei 25 °C ", title: " Café µ-Probe ");
        foreach (var encoding in new[] { Encoding.UTF8, Encoding.Latin1 })
        {
            var spectrum = Assert.Single(JcampReader.Read(encoding.GetBytes(text), "test.jdx"));
            Assert.Equal("Café µ-Probe", spectrum.Metadata.SampleName);
            Assert.Equal("Messung bei 25 °C", spectrum.Metadata.Parameters["$BEMERKUNGÜ"]);
        }
    }

    /// <summary>A trailing line holding only the Y check value adds no point.</summary>
    [Fact]
    public void FinalCheckLineAddsNoPoint()
    {
        var spectrum = Assert.Single(Read(Block("##XYDATA=(X++(Y..Y))\n1 A0J0J0\n4 C0J0\n5 D0",
            "##FIRSTX=1\n##LASTX=4\n##NPOINTS=4")));
        Assert.Equal([10, 20, 30, 40], spectrum.Y.ToArray());
    }

    /// <summary>
    /// 300 seeded random tuple values (up to 22 digits, points, exponents, signs), past the first buffer of 64 points,
    /// decode to exactly what double.Parse gives for each.
    /// </summary>
    [Fact]
    public void TupleValuesDecodeAsDoubleParse()
    {
        var random = new Random(3);
        var table = new StringBuilder("##XYPOINTS=(XY..XY)\n");
        var expected = new List<double>();
        for (var k = 0; k < 300; k++)
        {
            var digits = new string([.. Enumerable.Range(0, random.Next(1, 23)).Select(_ => (char)('0' + random.Next(10)))]);
            var point = random.Next(digits.Length + 1);
            var token = (random.Next(3) == 0 ? "-" : "") + digits[..point] + (point < digits.Length && random.Next(2) == 0 ? "." : "") + digits[point..];
            if (random.Next(4) == 0) token += (random.Next(2) == 0 ? "E-" : "e+") + random.Next(40).ToString("00", CultureInfo.InvariantCulture);
            expected.Add(double.Parse(token, CultureInfo.InvariantCulture));
            table.Append(token).Append(k % 2 == 0 ? ",  " : k % 8 == 7 ? ";\n" : ";   ");
        }
        var spectrum = Assert.Single(Read(Block(table.ToString())));
        var read = spectrum.X.Zip(spectrum.Y, (x, y) => new[] { x, y }).SelectMany(pair => pair).ToArray();
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), read.Select(BitConverter.DoubleToInt64Bits));
    }

    /// <summary>##XYPOINTS and ##PEAK TABLE apply the factors; (XYW..XYW) ignores widths.</summary>
    [Fact]
    public void TuplesApplyFactors()
    {
        var points = Assert.Single(Read(Block("##XYPOINTS=(XY..XY)\n10,1; 20,2\n30 3", "##XFACTOR=2\n##YFACTOR=0.5\n##NPOINTS=3")));
        Assert.Equal([20, 40, 60], points.X.ToArray());
        Assert.Equal([0.5, 1, 1.5], points.Y.ToArray());
        var peaks = Assert.Single(Read(Block("##PEAK TABLE=(XYW..XYW)\n10,1,7 20,2,7", "")));
        Assert.Equal([10, 20], peaks.X.ToArray());
        Assert.Equal([1, 2], peaks.Y.ToArray());
    }

    /// <summary>Units map to <see cref="XUnit"/> and <see cref="YKind"/>; anything else keeps its text.</summary>
    [Theory]
    [InlineData("1/CM", "TRANSMITTANCE", XUnit.Wavenumber, null, YKind.Transmittance, null)]
    [InlineData("cm-1", "ABSORBANCE", XUnit.Wavenumber, null, YKind.Absorbance, null)]
    [InlineData("MICROMETERS", "REFLECTANCE", XUnit.Micrometre, null, YKind.Reflectance, null)]
    [InlineData("NANOMETERS", "(micromol/mol)-1m-1", XUnit.Nanometre, null, YKind.Arbitrary, "(micromol/mol)-1m-1")]
    [InlineData("GAUSS", "ARBITRARY UNITS", XUnit.Other, "GAUSS", YKind.Arbitrary, "ARBITRARY UNITS")]
    public void UnitsMap(string xUnits, string yUnits, XUnit xUnit, string? xLabel, YKind yKind, string? yLabel)
    {
        var spectrum = Assert.Single(Read($"""
            ##TITLE=u
            ##XUNITS={xUnits}
            ##YUNITS={yUnits}
            ##XYPOINTS=(XY..XY)
            1,2
            ##END=
            """));
        Assert.Equal(xUnit, spectrum.XUnit);
        Assert.Equal(xLabel, spectrum.Metadata.XUnitLabel);
        Assert.Equal(yKind, spectrum.YKind);
        Assert.Equal(yLabel, spectrum.Metadata.YUnitLabel);
    }

    /// <summary>Title, instrument, resolution, date and free parameters of a NIST file.</summary>
    [Fact]
    public void MetadataOfANistFile()
    {
        var spectrum = Assert.Single(JcampReader.Read(Fixtures.ReadBytes("data/jcamp/ir/sulphur hexafluoride.jdx"), "sf6.jdx"));
        var m = spectrum.Metadata;
        Assert.Equal("Sulfur Hexafluoride", m.SampleName);
        Assert.Equal("IFS66V (Bruker)", m.Instrument);
        Assert.Equal(0.125, m.Resolution);
        Assert.Equal(new DateTimeOffset(2000, 2, 1, 0, 0, 0, TimeSpan.Zero), m.AcquiredUtc);
        Assert.Equal("sf6.jdx", m.SourceFile);
        Assert.Equal("1", m.Block);
        Assert.Equal("2551-62-4", m.Parameters["CASREGISTRYNO"]);
        Assert.Equal("QUANT-IR", m.Parameters["$NISTSOURCE"]);
        Assert.Equal("56417", m.Parameters["NPOINTS"]);
        Assert.Equal(XUnit.Wavenumber, spectrum.XUnit);
        Assert.Equal(YKind.Arbitrary, spectrum.YKind);
        Assert.Equal("(micromol/mol)-1m-1 (base 10)", m.YUnitLabel);
    }

    /// <summary>Each block of a LINK file gives a spectrum with its block id, date and time.</summary>
    [Fact]
    public void LinkBlocksKeepTheirIdsAndTimes()
    {
        var spectra = JcampReader.Read(Fixtures.ReadBytes("data/jcamp/lancashire/blckpac1.jdx"), "blckpac1.jdx");
        Assert.Equal(["1", "2", "3", "4", "5"], spectra.Select(s => s.Metadata.Block));
        Assert.All(spectra, s => Assert.Equal(XUnit.Nanometre, s.XUnit));
        Assert.All(spectra, s => Assert.Equal(YKind.Absorbance, s.YKind));
        Assert.Equal(new DateTimeOffset(1996, 11, 4, 18, 7, 10, TimeSpan.Zero), spectra[0].Metadata.AcquiredUtc);
        Assert.Equal("PERKIN-ELMER LAMBDA 19 UV/VIS/NIR UV", spectra[0].Metadata.Instrument);
        Assert.Equal("Aquation of trans-[Co(en)2Cl2]+ (t1)", spectra[0].Metadata.SampleName);
    }

    /// <summary>##LONGDATE wins over ##DATE; DD/MM/YYYY dates are understood; ##NAMES stands in for an empty title.</summary>
    [Fact]
    public void DatesAndNames()
    {
        var table = "##XYPOINTS=(XY..XY)\n1,2";
        Assert.Equal(new DateTimeOffset(2021, 3, 4, 5, 6, 7, TimeSpan.Zero),
            Read(Block(table, "##LONGDATE=2021/03/04 05:06:07\n##DATE=99/01/01"))[0].Metadata.AcquiredUtc);
        Assert.Equal(new DateTimeOffset(1997, 2, 13, 14, 55, 12, TimeSpan.Zero),
            Read(Block(table, "##DATE=13/2/1997\n##TIME=14:55:12"))[0].Metadata.AcquiredUtc);
        Assert.Null(Read(Block(table, "##DATE=1964"))[0].Metadata.AcquiredUtc);
        Assert.Equal("other", Read(Block(table, "##NAMES=other", title: " "))[0].Metadata.SampleName);
        Assert.Null(Read(Block(table, "##RESOLUTION=2 cm-1"))[0].Metadata.Resolution);
    }

    /// <summary>A compound file mixing IR and NMR blocks gives the IR spectra; NMR alone is unsupported.</summary>
    [Fact]
    public void MixedCompoundFileGivesTheSupportedSpectra()
    {
        var ir = Block("##XYPOINTS=(XY..XY)\n1,2\n3,4", title: "ir");
        var nmr = Block("##XYDATA=(X++(Y..Y))\n1 2 3", "##FIRSTX=1\n##LASTX=2\n##NPOINTS=2", title: "nmr", type: "NMR SPECTRUM");
        var link = "##TITLE=both\n##JCAMP-DX=5.01\n##DATA TYPE=LINK\n##BLOCKS=2\n";
        var spectrum = Assert.Single(Read(link + nmr + ir + "##END=\n"));
        Assert.Equal("ir", spectrum.Metadata.SampleName);
        Assert.Equal("3", spectrum.Metadata.Block);

        var error = Assert.Throws<UnsupportedSpectrumException>(() => Read(link + nmr + "##END=\n"));
        Assert.Contains("NMR", error.Reason);
        Assert.Throws<UnsupportedSpectrumException>(() => Read(Block("##XYPOINTS=(XY..XY)\n1,2", type: "MASS SPECTRUM")));
    }

    /// <summary>Content sniffing looks for a leading ##LABEL= record.</summary>
    [Theory]
    [InlineData("##TITLE=x\n", true)]
    [InlineData("\xEF\xBB\xBF  \r\n ##JCAMP-DX=4.24", true)]
    [InlineData("TITLE=x", false)]
    [InlineData("## no equals\n##TITLE=x", false)]
    [InlineData("", false)]
    [InlineData("x,y\n1,2", false)]
    public void Sniffing(string head, bool expected) =>
        Assert.Equal(expected, JcampReader.IsJcamp(Encoding.Latin1.GetBytes(head)));

    /// <summary>Every fixture is recognised by sniffing its first bytes.</summary>
    [Fact]
    public void FixturesAreSniffed()
    {
        foreach (var relative in JcampFixtures.Names())
            Assert.True(JcampReader.IsJcamp(Fixtures.ReadBytes($"data/jcamp/{relative}").AsSpan(0, 64)), relative);
    }
}
