namespace MidirEdge.Spectra.Tests;

/// <summary>The one helper every project's messages go through: one printable line, bounded, file text quoted.</summary>
public sealed class OneLineTests
{
    /// <summary>Breaks, escape sequences and bidirectional overrides are escaped; null is empty; long text is cut; pairs stay whole.</summary>
    [Fact]
    public void Text_becomes_one_printable_bounded_line()
    {
        Assert.Equal(@"a\nb\u001B[0m\u202Ec", OneLine.Of("a\nb\u001b[0m\u202ec"));
        Assert.Equal("", OneLine.Of(null));
        Assert.Equal("xxxx…", OneLine.Of(new string('x', 10), 5));
        Assert.Equal("ab…", OneLine.Of("ab😀", 3));
        Assert.Equal("ab😀", OneLine.Of("ab😀", 4));
        Assert.Equal(OneLine.DefaultMaxLength, OneLine.Of(new string('y', 10_000)).Length);
    }

    /// <summary>File text is quoted, cut to <see cref="OneLine.MaxQuoted"/> characters and escaped, from characters or UTF-8 bytes.</summary>
    [Fact]
    public void File_text_is_quoted_short()
    {
        Assert.Equal("'abc'", OneLine.Quote("abc"));
        Assert.Equal($"'{new string('z', OneLine.MaxQuoted)}…'", OneLine.Quote(new string('z', 100)));
        Assert.Equal(@"'\r\n'", OneLine.Quote("\r\n"u8));
    }
}
