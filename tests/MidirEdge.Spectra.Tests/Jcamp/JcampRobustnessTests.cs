using System.Text;
using MidirEdge.Spectra.Formats.Jcamp;
using MidirEdge.Tests;

namespace MidirEdge.Spectra.Tests.Jcamp;

/// <summary>Truncated, bit-flipped, empty and hostile input ends in one <see cref="SpectrumFormatException"/>.</summary>
public sealed class JcampRobustnessTests
{
    private const string Header = """
        ##TITLE=hostile
        ##JCAMP-DX=4.24
        ##DATA TYPE=INFRARED SPECTRUM
        ##XUNITS=1/CM
        ##YUNITS=ABSORBANCE
        ##FIRSTX=400
        ##LASTX=4000
        """;

    /// <summary>Every JCAMP fixture, as folder/name.</summary>
    public static TheoryData<string> FixtureFiles()
    {
        var data = new TheoryData<string>();
        foreach (var relative in JcampFixtures.Names()) data.Add(relative);
        return data;
    }

    /// <summary>1,000 seeded truncations and bit flips of each fixture fail only with typed format errors.</summary>
    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public void MutantsFailOnlyWithFormatErrors(string relative) =>
        Mutations.AssertOnlyFormatErrors(relative, Fixtures.ReadBytes($"data/jcamp/{relative}"), b => JcampReader.Read(b, relative));

    /// <summary>Hand-made hostile files, each with the reason it must give.</summary>
    public static TheoryData<string, string> HostileFiles() => new()
    {
        { "empty", "" },
        { "blanks", "   \r\n\t\n" },
        { "binary", "\0\u0001\u00ff\u0080garbage" },
        { "no title", "##JCAMP-DX=4.24\n##END=\n" },
        { "no equals", "##TITLE\n" },
        { "text first", "hello\n##TITLE=x\n" },
        { "no end", Header + "\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n400 1 2\n" },
        { "no data", Header + "\n##END=\n" },
        { "npoints 2^31", Header + "\n##NPOINTS=2147483648\n##XYDATA=(X++(Y..Y))\n400 1 2\n##END=\n" },
        { "npoints 2^31-1", Header + "\n##NPOINTS=2147483647\n##XYDATA=(X++(Y..Y))\n400 1 2\n##END=\n" },
        { "npoints huge", Header + "\n##NPOINTS=1e300\n##XYDATA=(X++(Y..Y))\n400 1 2\n##END=\n" },
        { "npoints negative", Header + "\n##NPOINTS=-5\n##XYDATA=(X++(Y..Y))\n400 1 2\n##END=\n" },
        { "npoints fraction", Header + "\n##NPOINTS=2.5\n##XYDATA=(X++(Y..Y))\n400 1 2\n##END=\n" },
        { "npoints NaN", Header + "\n##NPOINTS=NaN\n##XYDATA=(X++(Y..Y))\n400 1 2\n##END=\n" },
        { "dup 2^31", Header + "\n##NPOINTS=4\n##XYDATA=(X++(Y..Y))\n400 A0Z147483647\n##END=\n" },
        { "dup 2^31 with npoints 2^24", Header + "\n##NPOINTS=16777216\n##XYDATA=(X++(Y..Y))\n400 A0S2147483648\n##END=\n" },
        { "dup of 60 digits", Header + "\n##NPOINTS=4\n##XYDATA=(X++(Y..Y))\n400 A0S" + new string('9', 60) + "\n##END=\n" },
        { "dup first", Header + "\n##NPOINTS=4\n##XYDATA=(X++(Y..Y))\n400 T\n##END=\n" },
        { "dif first", Header + "\n##NPOINTS=4\n##XYDATA=(X++(Y..Y))\n400 J\n##END=\n" },
        { "garbage", Header + "\n##NPOINTS=4\n##XYDATA=(X++(Y..Y))\n400 1 2 ~3 4\n##END=\n" },
        { "non-ascii", Header + "\n##NPOINTS=4\n##XYDATA=(X++(Y..Y))\n400 1 2 \u00e93 4\n##END=\n" },
        { "too few", Header + "\n##NPOINTS=4\n##XYDATA=(X++(Y..Y))\n400 1 2 3\n##END=\n" },
        { "too many", Header + "\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n400 1 2 3\n##END=\n" },
        { "lone sign", Header + "\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n400 1 -\n##END=\n" },
        { "overflow", Header + "\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n400 1 1e+999\n##END=\n" },
        { "factor overflow", Header + "\n##YFACTOR=1e300\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n400 1e10 1\n##END=\n" },
        { "zero factor", Header + "\n##YFACTOR=0\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n400 1 2\n##END=\n" },
        { "no firstx", "##TITLE=t\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n400 1 2\n##END=\n" },
        { "infinite lastx", "##TITLE=t\n##FIRSTX=1\n##LASTX=1e999\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n400 1 2\n##END=\n" },
        { "odd xypoints", Header + "\n##XYPOINTS=(XY..XY)\n400, 1; 500\n##END=\n" },
        { "bad xypoints", Header + "\n##XYPOINTS=(XY..XY)\n400, 1; 500, Infinity\n##END=\n" },
        { "unknown table", Header + "\n##XYPOINTS=(R..R)\n1 2\n##END=\n" },
        { "bad check", Header + "\n##NPOINTS=8\n##XYDATA=(X++(Y..Y))\n1 A0J0J0J0\n5 D1J0J0J0J0\n##END=\n" },
        { "dif after dif line", Header + "\n##NPOINTS=8\n##XYDATA=(X++(Y..Y))\n1 A0J0J0J0\n5 J0J0J0J0\n##END=\n" },
    };

    /// <summary>Each hostile file gives one <see cref="SpectrumFormatException"/> (not an unsupported-data error).</summary>
    [Theory]
    [MemberData(nameof(HostileFiles))]
    public void HostileFileIsAFormatError(string name, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text.ReplaceLineEndings("\n"));
        var error = Assert.Throws<SpectrumFormatException>(() => JcampReader.Read(bytes, name));
        Assert.IsNotType<UnsupportedSpectrumException>(error);
        Assert.Equal(name, error.File);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
    }

    /// <summary>Files of another type (OPUS binaries, a gzipped CSV) are format errors, not crashes.</summary>
    [Fact]
    public void WrongTypeFilesAreFormatErrors()
    {
        foreach (var path in Fixtures.Files("data/opus").Append(Fixtures.Path("data/yamsys/yamsys_dev.csv.gz")))
        {
            var error = Assert.Throws<SpectrumFormatException>(() => JcampReader.Read(File.ReadAllBytes(path), path));
            Assert.IsNotType<UnsupportedSpectrumException>(error);
        }
    }

    /// <summary>A mismatching DIF Y-check value names its line.</summary>
    [Fact]
    public void CheckValueMismatchNamesTheLine()
    {
        var text = Header + "\n##NPOINTS=8\n##XYDATA=(X++(Y..Y))\n1 A0J0J0J0\n5 D1J0J0J0J0\n##END=\n";
        var error = Assert.Throws<SpectrumFormatException>(() => JcampReader.Read(Encoding.ASCII.GetBytes(text), "check.jdx"));
        Assert.Equal(11, error.Line);
        Assert.Contains("check", error.Reason);
    }

    /// <summary>A 10 MB data line and a 10 MB record value are refused or read, never hang or blow up.</summary>
    [Fact]
    public void TenMegabyteLines()
    {
        var digits = new string('7', 10_000_000);
        var longNumber = Encoding.ASCII.GetBytes(Header + "\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n400 1 " + digits + "\n##END=\n");
        Assert.Throws<SpectrumFormatException>(() => JcampReader.Read(longNumber, "long-number"));

        var values = new StringBuilder(Header + "\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n400");
        for (var i = 0; i < 2_500_000; i++) values.Append(" 1.5");
        values.Append("\n##END=\n");
        var error = Assert.Throws<SpectrumFormatException>(() => JcampReader.Read(Encoding.ASCII.GetBytes(values.ToString()), "long-line"));
        Assert.Contains("NPOINTS", error.Reason);

        var longValue = Encoding.ASCII.GetBytes("##TITLE=" + digits + "\n" + Header[(Header.IndexOf('\n') + 1)..]
            + "\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n400 1 2\n##END=\n");
        Assert.Equal(10_000_000, Assert.Single(JcampReader.Read(longValue, "long-title")).Metadata.SampleName!.Length);
    }

    /// <summary>A DUP count may expand as far as ##NPOINTS, not one point further.</summary>
    [Fact]
    public void DupExpandsUpToNPointsOnly()
    {
        var exact = Encoding.ASCII.GetBytes(Header + "\n##NPOINTS=100\n##XYDATA=(X++(Y..Y))\n400 A0S00\n##END=\n");
        Assert.Equal(100, Assert.Single(JcampReader.Read(exact, "dup")).Length);
        var over = Encoding.ASCII.GetBytes(Header + "\n##NPOINTS=100\n##XYDATA=(X++(Y..Y))\n400 A0S01\n##END=\n");
        var error = Assert.Throws<SpectrumFormatException>(() => JcampReader.Read(over, "dup"));
        Assert.Contains("DUP", error.Reason);
        Assert.Equal(10, error.Line);
    }
}
