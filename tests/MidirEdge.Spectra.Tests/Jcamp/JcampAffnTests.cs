using System.Globalization;
using System.Text;
using MidirEdge.Spectra.Formats.Jcamp;

namespace MidirEdge.Spectra.Tests.Jcamp;

/// <summary>
/// AFFN (X++(Y..Y)) tables, whose integer ordinates are read a window of the line at a time, give exactly what
/// double.Parse gives for each value, and their errors name the same reason and line as any other value's.
/// </summary>
public sealed class JcampAffnTests
{
    private static IReadOnlyList<Spectrum> Read(string table, int points, string newline = "\n")
    {
        var text = $"##TITLE=affn{newline}##JCAMP-DX=4.24{newline}##XUNITS=1/CM{newline}##YUNITS=ABSORBANCE{newline}"
            + $"##FIRSTX=0{newline}##LASTX={points - 1}{newline}##NPOINTS={points}{newline}##XYDATA=(X++(Y..Y)){newline}{table}{newline}##END={newline}";
        return JcampReader.Read(Encoding.ASCII.GetBytes(text), "affn.jdx");
    }

    private static void AssertValues(IEnumerable<double> expected, Spectrum spectrum) =>
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), spectrum.Y.ToArray().Select(BitConverter.DoubleToInt64Bits));

    private static double Parse(string token) => double.Parse(token, CultureInfo.InvariantCulture);

    /// <summary>
    /// Integers at the 15-digit, 16-digit and 2^53 limits, signs, zeros, values followed straight by a sign, tabs and
    /// commas, values followed by a point, an exponent or a SQZ value, trailing blanks, lines shorter than 16 bytes and
    /// values across the 64-byte window, each table in LF, CRLF and CR lines.
    /// </summary>
    [Theory]
    [InlineData("1 123-45+6", "123 -45 6")]
    [InlineData("1\t7,8 ,9\t,10", "7 8 9 10")]
    [InlineData("1 -0 +0 0 -00", "-0 0 0 -0")]
    [InlineData("1 999999999999999 -999999999999999 1000000000000000", "999999999999999 -999999999999999 1000000000000000")]
    [InlineData("1 9007199254740992 9007199254740993 -9007199254740995", "9007199254740992 9007199254740993 -9007199254740995")]
    [InlineData("1 000000000000000000012 12345678901234567890123", "12 12345678901234567890123")]
    [InlineData("1 12E5 7", "12 55 7")]
    [InlineData("1 12E+5 7", "12E+5 7")]
    [InlineData("1 12.5 7 8. 9.25", "12.5 7 8 9.25")]
    [InlineData("1 5 6   ", "5 6")]
    [InlineData("1 5 6 $$ 7", "5 6")]
    [InlineData("1 2 3", "2 3")]
    [InlineData("-1.5 2", "2")]
    [InlineData("1.5E+02 2 3", "2 3")]
    [InlineData("123456789012345678901.5 2 3", "2 3")]
    [InlineData("575.17 1643129 2367018 1809391 2030399 1310073 2118599 1643129 2367018 1809391 2030399 1310073 2118599",
        "1643129 2367018 1809391 2030399 1310073 2118599 1643129 2367018 1809391 2030399 1310073 2118599")]
    [InlineData("1 1234567 1234567 1234567 1234567 1234567 1234567 1234567 123456789012345 1234567 1234567",
        "1234567 1234567 1234567 1234567 1234567 1234567 1234567 123456789012345 1234567 1234567")]
    [InlineData("1 1234567 1234567 1234567 1234567 1234567 1234567 1234567 12345678 12.5 1234567",
        "1234567 1234567 1234567 1234567 1234567 1234567 1234567 12345678 12.5 1234567")]
    public void AffnLinesDecodeAsDoubleParse(string line, string values)
    {
        var expected = values.Split(' ').Select(Parse).ToArray();
        foreach (var newline in new[] { "\n", "\r\n", "\r" })
        {
            AssertValues(expected, Assert.Single(Read(line, expected.Length, newline)));
            // The same line twice, so that a line ends where the next begins.
            AssertValues([.. expected, .. expected], Assert.Single(Read(line + newline + line, 2 * expected.Length, newline)));
        }
    }

    /// <summary>
    /// 400 seeded random lines of up to 14 ordinates (1 to 20 digits, signed or not, some with a point or an exponent)
    /// between blanks, tabs, commas or nothing before a sign, after X values of every kind, decode as double.Parse gives each.
    /// </summary>
    [Fact]
    public void RandomAffnLinesDecodeAsDoubleParse()
    {
        var random = new Random(53);
        string[] xs = ["575.17", "-12", "+.5", "5.", "7", "1234567.5", "4000.1234", "1.5E+03", "123456789012345678901.5"];
        string[] separators = [" ", "  ", "\t", ",", ", "];
        string[] specials = ["9007199254740992", "9007199254740993", "999999999999999", "1000000000000000", "-0", "+0", "0", "000000000000000000012"];
        var table = new StringBuilder();
        var expected = new List<double>();
        for (var line = 0; line < 400; line++)
        {
            if (line > 0) table.Append(random.Next(3) switch { 0 => "\n", 1 => "\r\n", _ => "\r" });
            table.Append(xs[random.Next(xs.Length)]);
            for (var k = random.Next(15); k > 0; k--)
            {
                string token;
                if (random.Next(10) == 0)
                {
                    token = specials[random.Next(specials.Length)];
                }
                else
                {
                    var length = random.Next(4) == 0 ? random.Next(13, 21) : random.Next(1, 9);
                    token = new string([.. Enumerable.Range(0, length).Select(_ => (char)('0' + random.Next(10)))]);
                    if (random.Next(8) == 0) token = token[..(length / 2)] + "." + token[(length / 2)..];
                    if (random.Next(8) == 0) token += random.Next(2) == 0 ? "E-02" : "e+3";
                    token = random.Next(4) switch { 0 => "-" + token, 1 => "+" + token, _ => token };
                }
                var separator = separators[random.Next(separators.Length)];
                table.Append(token[0] is '-' or '+' && random.Next(2) == 0 ? "" : separator).Append(token);
                expected.Add(Parse(token));
            }
            table.Append(random.Next(4) switch { 0 => "   ", 1 => " $$ note", _ => "" });
        }
        AssertValues(expected, Assert.Single(Read(table.ToString(), expected.Count)));
    }

    /// <summary>
    /// A sign with no digits, a byte no form allows, a value past ##NPOINTS and a bad X value end the read with the same
    /// reason and line whether they come first on the line, among integers, or past the 64-byte window.
    /// </summary>
    [Theory]
    [InlineData("1 12 - 34", 2, "a number has no digits")]
    [InlineData("1 12 34-", 2, "a number has no digits")]
    [InlineData("1 12 34 #", 2, "unexpected character '#'")]
    [InlineData("1 1234567 1234567 1234567 1234567 1234567 1234567 1234567 1234567 1234567 #", 9, "unexpected character '#'")]
    [InlineData("1 12 34 56", 2, "more than ##NPOINTS=4")]
    [InlineData("- 12 34", 2, "a number has no digits")]
    public void AffnErrorsNameTheirLine(string line, int points, string reason)
    {
        var error = Assert.Throws<SpectrumFormatException>(() => Read("0 1 2\n" + line, points + 2));
        Assert.Contains(reason, error.Reason);
        Assert.Equal(10, error.Line);
    }

    /// <summary>Runs of 1 to 16 digits are read whole at the start, the middle and the end of texts shorter and longer than eight bytes.</summary>
    [Fact]
    public void ShortIntegersAreReadAnywhereInTheText()
    {
        foreach (var (prefix, suffix) in new[] { ("", ""), ("x", ""), ("", "y"), ("abcdefghij", ""), ("abcdefghij", "-12345678901234567") })
        for (var length = 1; length <= 16; length++)
        {
            var digits = new string([.. Enumerable.Range(0, length).Select(k => (char)('0' + (k * 7 + 3) % 10))]);
            var bytes = Encoding.ASCII.GetBytes(prefix + digits + suffix);
            Assert.Equal(ulong.Parse(digits, CultureInfo.InvariantCulture), JcampNumbers.ShortInteger(bytes, prefix.Length, length));
        }
    }

    /// <summary>
    /// Decimals of 0 to 20 digits with the point anywhere or nowhere are skipped whole, with their digits counted, whether
    /// they fit in eight bytes or not, end the text or are followed by another byte.
    /// </summary>
    [Fact]
    public void DecimalsAreSkippedWhole()
    {
        for (var length = 0; length <= 20; length++)
        for (var point = -1; point <= length; point++)
        foreach (var suffix in new[] { "", " 1", ".5", "E+1", "-2" })
        {
            var digits = new string([.. Enumerable.Range(0, length).Select(k => (char)('0' + (k * 3 + 1) % 10))]);
            var number = point < 0 ? digits : digits[..point] + "." + digits[point..];
            var bytes = Encoding.ASCII.GetBytes("x" + number + suffix);
            // A second point after a number that has one is not part of it.
            var end = 1 + number.Length + (point < 0 && suffix == ".5" ? 2 : 0);
            var expectedDigits = length + (point < 0 && suffix == ".5" ? 1 : 0);
            Assert.Equal(end, JcampNumbers.SkipDecimal(bytes, 1, out var counted));
            Assert.Equal(expectedDigits, counted);
        }
    }

    /// <summary>Integers of 1 to 15 digits are read whole; a longer run, or no digit, is left, with the index unchanged.</summary>
    [Fact]
    public void ShortIntegersStopAtFifteenDigits()
    {
        for (var length = 0; length <= 20; length++)
        foreach (var suffix in new[] { "", " ", "-1", "x1234567890" })
        {
            var digits = new string([.. Enumerable.Range(0, length).Select(k => (char)('1' + k % 9))]);
            var bytes = Encoding.ASCII.GetBytes("x" + digits + suffix);
            var index = 1;
            var ok = JcampNumbers.TryReadShortInteger(bytes, ref index, out var value);
            Assert.Equal(length is >= 1 and <= 15, ok);
            Assert.Equal(ok ? 1 + length : 1, index);
            if (ok) Assert.Equal(ulong.Parse(digits, CultureInfo.InvariantCulture), value);
        }
    }
}
