using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace MidirEdge.Spectra.Formats.Jcamp;

/// <summary>
/// Decimal numbers read from bytes without a string: runs of digits eight at a time, and the value exactly as
/// <see cref="double.Parse(string, IFormatProvider)"/> gives it.
/// </summary>
/// <remarks>
/// A number whose digits, without the decimal point, make an integer m of at most 2^53 and whose decimal exponent e
/// (after the point is moved) lies in [-22, 22] is m·10^e or m/10^-e computed in one IEEE operation on two exact
/// doubles, so it is correctly rounded, as double.Parse is (Clinger's fast path). Any other number goes to double.Parse.
/// </remarks>
internal static class JcampNumbers
{
    private const ulong Zeros = 0x3030303030303030;
    private const ulong HighBits = 0x8080808080808080;

    private static readonly double[] PowersOf10 =
        [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    private static readonly ulong[] IntegerPowersOf10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    /// <summary>
    /// Reads the run of digits at <paramref name="i"/>, appending them to <paramref name="mantissa"/> (which wraps when
    /// the run is longer than 19 digits: callers count digits); the index after the run.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ReadDigits(ReadOnlySpan<byte> text, int i, ref ulong mantissa)
    {
        while (true)
        {
            var left = text.Length - i;
            if (left <= 0) return i;
            ulong chunk;
            if (left >= 8)
            {
                chunk = BinaryPrimitives.ReadUInt64LittleEndian(text[i..]);
            }
            else if (text.Length >= 8)
            {
                // The last eight bytes, shifted so that the first unread byte comes first; the zero bytes shifted in are not digits.
                chunk = BinaryPrimitives.ReadUInt64LittleEndian(text[^8..]) >> (8 * (8 - left));
            }
            else
            {
                while (i < text.Length && (uint)(text[i] - '0') <= 9)
                {
                    mantissa = mantissa * 10 + (uint)(text[i] - '0');
                    i++;
                }
                return i;
            }
            // Digits become 0..9; a byte is flagged when it is 10 or more. A carry only leaves a flagged byte, so the
            // lowest flagged byte is the first that is not a digit.
            var values = chunk ^ Zeros;
            var flags = ((values + 0x7676767676767676) | values) & HighBits;
            var count = flags == 0 ? 8 : BitOperations.TrailingZeroCount(flags) >> 3;
            if (count == 0) return i;
            mantissa = mantissa * IntegerPowersOf10[count] + EightDigits(values << (8 * (8 - count)));
            i += count;
            if (count < 8) return i;
        }
    }

    /// <summary>The integer the <paramref name="count"/> (1 to 16) bytes at <paramref name="i"/> write; they must all be digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ShortInteger(ReadOnlySpan<byte> text, int i, int count)
    {
        var first = Chunk(text, i) ^ Zeros;
        if (count <= 8) return EightDigits(first << (8 * (8 - count)));
        var second = Chunk(text, i + 8) ^ Zeros;
        return EightDigits(first) * IntegerPowersOf10[count - 8] + EightDigits(second << (8 * (16 - count)));
    }

    /// <summary>
    /// Reads a run of 1 to 15 digits at <paramref name="index"/> as the integer it writes (below 2^53, so a double holds it
    /// exactly); false, with the index unchanged, when no digit is there or more than 15 are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadShortInteger(ReadOnlySpan<byte> text, ref int index, out ulong value)
    {
        // Instrument exports write AFFN ordinates of about seven digits: one eight-byte chunk reads them without a loop.
        var values = Chunk(text, index) ^ Zeros;
        var count = DigitCount(values);
        value = EightDigits(values << (8 * (8 - count)));
        if (count == 8)
        {
            var more = Chunk(text, index + 8) ^ Zeros;
            var extra = DigitCount(more);
            if (extra == 8) return false;
            if (extra > 0) value = value * IntegerPowersOf10[extra] + EightDigits(more << (8 * (8 - extra)));
            count += extra;
        }
        else if (count == 0)
        {
            return false;
        }
        index += count;
        return true;
    }

    /// <summary>
    /// The index after the decimal number without sign or exponent at <paramref name="i"/> (digits, optionally a point and
    /// more digits); <paramref name="digits"/> is how many digits it has.
    /// </summary>
    public static int SkipDecimal(ReadOnlySpan<byte> text, int i, out int digits)
    {
        // Numbers of up to seven characters, such as most X check values, are seen whole in one eight-byte chunk. Bytes
        // shifted in from the top are zero, which are not digits before the xor.
        var chunk = Chunk(text, i);
        var whole = DigitCount(chunk ^ Zeros);
        if (whole < 8 && (byte)(chunk >> (8 * whole)) != '.')
        {
            digits = whole;
            return i + whole;
        }
        if (whole < 7)
        {
            var fraction = DigitCount((chunk >> (8 * (whole + 1))) ^ Zeros);
            if (whole + 1 + fraction < 8)
            {
                digits = whole + fraction;
                return i + whole + 1 + fraction;
            }
        }
        var start = i;
        i = SkipDigits(text, i);
        digits = i - start;
        if ((uint)i < (uint)text.Length && text[i] == '.')
        {
            var point = ++i;
            i = SkipDigits(text, i);
            digits += i - point;
        }
        return i;
    }

    /// <summary>The index after the run of digits at <paramref name="i"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipDigits(ReadOnlySpan<byte> text, int i)
    {
        while (true)
        {
            var count = DigitCount(Chunk(text, i) ^ Zeros);
            i += count;
            if (count < 8) return i;
        }
    }

    /// <summary>
    /// The eight bytes at <paramref name="i"/>, the first in the lowest byte; past the end of the text they are zero bytes,
    /// which are not digits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Chunk(ReadOnlySpan<byte> text, int i)
    {
        var left = text.Length - i;
        if (left >= 8) return BinaryPrimitives.ReadUInt64LittleEndian(text[i..]);
        if (left > 0 && text.Length >= 8) return BinaryPrimitives.ReadUInt64LittleEndian(text[^8..]) >> (8 * (8 - left));
        var chunk = 0UL;
        for (var k = left - 1; k >= 0; k--) chunk = (chunk << 8) | text[i + k];
        return chunk;
    }

    /// <summary>How many of eight byte values (bytes xor '0', the first in the lowest byte) are digits before the first that is not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DigitCount(ulong values)
    {
        // As in ReadDigits: a byte of 10 or more is flagged, and a carry only leaves a flagged byte; no flag counts 64 / 8 = 8.
        var flags = ((values + 0x7676767676767676) | values) & HighBits;
        return BitOperations.TrailingZeroCount(flags) >> 3;
    }

    /// <summary>The value of eight digit values (0..9, the first in the lowest byte) as one integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigits(ulong values)
    {
        values = values * 10 + (values >> 8);
        return (((values & 0x000000FF000000FF) * 0x000F424000000064) + (((values >> 16) & 0x000000FF000000FF) * 0x0000271000000001)) >> 32;
    }

    /// <summary>
    /// mantissa·10^power correctly rounded when <paramref name="digits"/> (how many digits made the mantissa) is at most 19,
    /// the mantissa at most 2^53 and the power within ±22; false otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryExact(ulong mantissa, int digits, int power, out double value)
    {
        if (digits <= 19 && mantissa <= 1UL << 53 && power is >= -22 and <= 22)
        {
            value = power == 0 ? mantissa : power > 0 ? mantissa * PowersOf10[power] : mantissa / PowersOf10[-power];
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>Parses a record value (all of <paramref name="text"/>) as double.TryParse with NumberStyles.Float does.</summary>
    public static bool TryParseText(ReadOnlySpan<char> text, out double value)
    {
        // Numeric record values are short ASCII text: as bytes on the stack they take the fast path of the byte parser.
        Span<byte> bytes = stackalloc byte[32];
        return text.Length <= bytes.Length && Ascii.FromUtf16(text, bytes, out var length) == OperationStatus.Done
            ? TryParse(bytes[..length], out value)
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses an AFFN number (all of <paramref name="token"/>) as double.TryParse with NumberStyles.Float does.</summary>
    public static bool TryParse(ReadOnlySpan<byte> token, out double value)
    {
        var i = 0;
        var negative = false;
        if (i < token.Length && token[i] is (byte)'+' or (byte)'-')
        {
            negative = token[i] == '-';
            i++;
        }
        var mantissa = 0UL;
        var start = i;
        i = ReadDigits(token, i, ref mantissa);
        var whole = i - start;
        var fraction = 0;
        if (i < token.Length && token[i] == '.')
        {
            var point = ++i;
            i = ReadDigits(token, i, ref mantissa);
            fraction = i - point;
        }
        var power = -fraction;
        if (whole + fraction > 0 && i + 1 < token.Length && token[i] is (byte)'E' or (byte)'e')
        {
            var j = i + 1;
            var minus = false;
            if (token[j] is (byte)'+' or (byte)'-')
            {
                minus = token[j] == '-';
                j++;
            }
            var exponent = 0UL;
            var end = ReadDigits(token, j, ref exponent);
            if (end > j && end - j <= 4)
            {
                power += minus ? -(int)exponent : (int)exponent;
                i = end;
            }
        }
        if (i == token.Length && whole + fraction > 0 && TryExact(mantissa, whole + fraction, power, out value))
        {
            if (negative) value = -value;
            return true;
        }
        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
