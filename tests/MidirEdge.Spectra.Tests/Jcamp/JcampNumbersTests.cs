using System.Globalization;
using System.Text;
using MidirEdge.Spectra.Formats.Jcamp;

namespace MidirEdge.Spectra.Tests.Jcamp;

/// <summary>The byte number parser gives exactly what double.Parse gives, bit for bit, and reads digit runs of any length.</summary>
public sealed class JcampNumbersTests
{
    /// <summary>Hand-picked AFFN tokens: signs, bare points, 2^53 and around, ±22 powers and past them, subnormals, overflow, junk, white space, non-ASCII, texts past 32 chars.</summary>
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("+0")]
    [InlineData("-0.0e-5")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("-.5")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData("")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1E5")]
    [InlineData("1e-5")]
    [InlineData("e5")]
    [InlineData(".e5")]
    [InlineData("1.5E+0022")]
    [InlineData("1e22")]
    [InlineData("1e23")]
    [InlineData("1e-22")]
    [InlineData("1e-23")]
    [InlineData("12345678")]
    [InlineData("123456789")]
    [InlineData("1234567890123456")]
    [InlineData("9007199254740992")]
    [InlineData("9007199254740993")]
    [InlineData("9007199254740994")]
    [InlineData("18446744073709551615")]
    [InlineData("18446744073709551616")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("0.000000000000000000000000000001")]
    [InlineData("00000000000000000000000000000012.5")]
    [InlineData("399.361384615384")]
    [InlineData("0.1")]
    [InlineData("0.3")]
    [InlineData("2.98E-06")]
    [InlineData("18.189E-13")]
    [InlineData("4.9406564584124654E-324")]
    [InlineData("2.2250738585072014E-308")]
    [InlineData("1.7976931348623157E308")]
    [InlineData("1e400")]
    [InlineData("1e99999999")]
    [InlineData("1.2.3")]
    [InlineData("1-2")]
    [InlineData("12a")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1,5")]
    [InlineData(" 12.5 ")]
    [InlineData("\t-3e2\n")]
    [InlineData("１２")]
    [InlineData("∞")]
    [InlineData("1.0000000000000000000000000000000001")]
    public void TokensParseAsDoubleParse(string token) => AssertSame(token);

    /// <summary>200,000 seeded random tokens (1 to 24 digits, any point position, optional sign and exponent) parse as double.Parse does.</summary>
    [Fact]
    public void RandomTokensParseAsDoubleParse()
    {
        var random = new Random(16);
        var text = new StringBuilder();
        for (var n = 0; n < 200_000; n++)
        {
            text.Clear();
            if (random.Next(3) == 0) text.Append(random.Next(2) == 0 ? '-' : '+');
            var digits = random.Next(1, 25);
            var point = random.Next(-digits, digits + 1);
            for (var d = 0; d < digits; d++)
            {
                if (d == point) text.Append('.');
                text.Append((char)('0' + (random.Next(4) == 0 ? 0 : random.Next(10))));
            }
            if (point == digits) text.Append('.');
            if (random.Next(3) == 0)
            {
                text.Append(random.Next(2) == 0 ? 'E' : 'e');
                if (random.Next(3) != 0) text.Append(random.Next(2) == 0 ? '-' : '+');
                text.Append(random.Next(random.Next(2) == 0 ? 30 : 400));
            }
            AssertSame(text.ToString());
        }
    }

    /// <summary>Runs of 0 to 30 digits, ending at the end of the text or before another byte, in texts shorter and longer than eight bytes.</summary>
    [Fact]
    public void DigitRunsOfAnyLengthAreRead()
    {
        foreach (var prefix in new[] { "", "x", "abcdefghij" })
        foreach (var suffix in new[] { "", "/", ":", " 12", "\0", "\u00ff" })
        for (var length = 0; length <= 30; length++)
        {
            var digits = new string([.. Enumerable.Range(0, length).Select(k => (char)('0' + (k * 7 + 3) % 10))]);
            var bytes = Encoding.Latin1.GetBytes(prefix + digits + suffix);
            var mantissa = 0UL;
            var end = JcampNumbers.ReadDigits(bytes, prefix.Length, ref mantissa);
            Assert.Equal(prefix.Length + length, end);
            var expected = 0UL;
            foreach (var c in digits) expected = unchecked(expected * 10 + (ulong)(c - '0'));
            Assert.Equal(expected, mantissa);
        }
    }

    private static void AssertSame(string token)
    {
        var expectedOk = double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected);
        var ok = JcampNumbers.TryParse(Encoding.ASCII.GetBytes(token), out var value);
        Assert.True(expectedOk == ok, $"{token}: double.TryParse says {expectedOk}, JcampNumbers {ok}");
        if (ok) Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(value), $"{token}: {expected:R} expected, {value:R} read");
        var textOk = JcampNumbers.TryParseText(token, out var textValue);
        Assert.True(expectedOk == textOk, $"{token}: double.TryParse says {expectedOk}, JcampNumbers.TryParseText {textOk}");
        if (textOk) Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(textValue), $"{token}: {expected:R} expected, {textValue:R} read as text");
    }
}
