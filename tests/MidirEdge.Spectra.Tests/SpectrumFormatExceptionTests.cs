using System.Text;
using MidirEdge.Spectra.Formats;

namespace MidirEdge.Spectra.Tests;

/// <summary>Messages carry file content only quoted, short and escaped, on one line.</summary>
public sealed class SpectrumFormatExceptionTests
{
    /// <summary>Whatever a reader passes in, the message and reason are one printable line of bounded length.</summary>
    [Fact]
    public void MessageIsOnePrintableLineWhateverItIsGiven()
    {
        var reason = "bad\r\nnext line\u001B[2J\u202Eevil\u2028" + new string('x', 10_000);
        var error = new SpectrumFormatException("dir\nname.jdx", reason, line: 3);

        Mutations.AssertOnePrintableLine("message", error.Message);
        Mutations.AssertOnePrintableLine("reason", error.Reason);
        Assert.StartsWith(@"dir\nname.jdx: line 3: bad\r\nnext line\u001B[2J\u202Eevil\u2028xxx", error.Message);
        Assert.EndsWith("x…", error.Message);
        Assert.Equal(SpectrumFormatException.MaxMessageLength, error.Message.Length);
        Assert.Equal("dir\nname.jdx", error.File);
    }

    /// <summary>A short printable message is kept as it is.</summary>
    [Fact]
    public void PrintableMessageIsUnchanged()
    {
        var error = new SpectrumFormatException("a.csv", "'abc' is not a number — Größe µm 😀", line: 2);
        Assert.Equal("a.csv: line 2: 'abc' is not a number — Größe µm 😀", error.Message);
    }

    /// <summary>Hostile text in each reader's input reaches the message quoted: cut to 40 characters, control characters escaped.</summary>
    [Theory]
    [InlineData("jcamp npoints", "##TITLE=t\n##NPOINTS=\u001B[31m{0}\n{0}\n##XYDATA=(X++(Y..Y))\n1 2\n##END=\n")]
    [InlineData("jcamp label", "##\u001B[31m{0}=1\n")]
    [InlineData("jcamp xypoints", "##TITLE=t\n##XYPOINTS=(XY..XY)\n1,\u001B[31m{0}\n##END=\n")]
    [InlineData("jcamp variables", "##TITLE=t\n##NPOINTS=1\n##FIRSTX=1\n##LASTX=1\n##XYDATA=(X++\u001B[31m{0}\n##END=\n")]
    [InlineData("csv number", "x,y\n1,\u001B[31m{0}\n")]
    [InlineData("csv column", "id,\u001B[31m{0},\u001B[31m{0},1,2\na,b,c,1,2\n")]
    public void FileTextIsQuotedShort(string name, string template)
    {
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('y', 6_000));
        var error = Assert.ThrowsAny<SpectrumFormatException>(() => SpectrumFile.Read(Encoding.UTF8.GetBytes(text), name));

        Mutations.AssertOnePrintableLine(name, error.Message);
        Assert.Contains(@"\u001B[31myyyyy", error.Reason);
        Assert.Contains("y…'", error.Reason);
        Assert.InRange(error.Reason.Length, 1, 200);
    }
}
