using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MidirEdge.Spectra.Formats.Jcamp;

/// <summary>
/// Reads runs of AFFN integers (1 to 15 digits each, signed or not, with blanks, tabs, commas or nothing but the next
/// sign between them), the ordinates most instrument exports write, a window of the line at a time.
/// </summary>
/// <remarks>
/// Which bytes of the window are digits, signs and separators is found for all of them at once, as bit masks; each
/// value's place then comes from the masks and its digits are read eight at a time, so that no value waits for the one
/// before it to be read. Such an integer is below 2^53, so its double is exactly what double.Parse gives.
/// </remarks>
internal static class AffnIntegers
{
    private const int Window = 64;

    /// <summary>
    /// Reads from <paramref name="index"/> the AFFN integers within the next 64 bytes of the line into
    /// <paramref name="values"/>, up to its length, and moves the index past the last one read; how many were read. It
    /// stops before a run of more than 15 digits, one followed by '.', 'E' or 'e', one the window may cut, and anything
    /// but a separator or a signed or unsigned integer; it reads nothing in a line shorter than 16 bytes.
    /// </summary>
    public static int Read(ReadOnlySpan<byte> line, ref int index, Span<double> values)
    {
        if (line.Length < Vector128<byte>.Count) return 0;
        var length = Math.Min(Window, line.Length - index);
        ulong digits = 0, separators = 0, minus = 0, plus = 0;
        var k = 0;
        for (; k + Vector128<byte>.Count <= length; k += Vector128<byte>.Count)
            Classify(Vector128.Create(line.Slice(index + k, Vector128<byte>.Count)), k, 0, ref digits, ref separators, ref minus, ref plus);
        // The window's last bytes, loaded with the ones before them so as not to read past the line: those are shifted out.
        if (k < length)
            Classify(Vector128.Create(line.Slice(index + length - Vector128<byte>.Count, Vector128<byte>.Count)), k,
                Vector128<byte>.Count - (length - k), ref digits, ref separators, ref minus, ref plus);
        // A sign counts only right before a digit. Runs are read up to the first byte that is none of these (or the
        // window's end); the run ending there is whole if the line ends there or another value starts there, not if the
        // window cuts the line or a fraction or exponent follows.
        var limit = BitOperations.TrailingZeroCount(~(digits | separators | ((minus | plus) & (digits >> 1))));
        var lastIsWhole = limit < length
            ? line[index + limit] is not ((byte)'.' or (byte)'E' or (byte)'e')
            : index + length == line.Length;
        // Runs must end before this; a run starting at or after the limit ends after it.
        var bound = lastIsWhole ? limit + 1 : limit;
        var at = index;
        var starts = digits & ~(digits << 1);
        var negative = minus << 1;
        var read = 0;
        var end = 0;
        while (starts != 0 && read < values.Length)
        {
            var start = BitOperations.TrailingZeroCount(starts);
            var count = BitOperations.TrailingZeroCount(~(digits >> start));
            if (count > 15 || start + count >= bound) break;
            var value = (double)(long)JcampNumbers.ShortInteger(line, at + start, count);
            values[read++] = ((negative >> start) & 1) != 0 ? -value : value;
            end = start + count;
            starts &= starts - 1;
        }
        // When only separators follow the last value to the line's end, the line is done.
        index = at + length == line.Length && end + BitOperations.TrailingZeroCount(~(separators >> end)) >= length ? line.Length : at + end;
        return read;
    }

    /// <summary>Adds the 16 bytes' digits, separators and signs, less the first <paramref name="skip"/>, to the masks from bit <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Classify(Vector128<byte> bytes, int at, int skip, ref ulong digits, ref ulong separators, ref ulong minus, ref ulong plus)
    {
        var isDigit = Vector128.LessThan(bytes - Vector128.Create((byte)'0'), Vector128.Create((byte)10));
        var isSeparator = Vector128.Equals(bytes, Vector128.Create((byte)' '))
            | Vector128.Equals(bytes, Vector128.Create((byte)'\t'))
            | Vector128.Equals(bytes, Vector128.Create((byte)','));
        digits |= (ulong)(isDigit.ExtractMostSignificantBits() >> skip) << at;
        separators |= (ulong)(isSeparator.ExtractMostSignificantBits() >> skip) << at;
        minus |= (ulong)(Vector128.Equals(bytes, Vector128.Create((byte)'-')).ExtractMostSignificantBits() >> skip) << at;
        plus |= (ulong)(Vector128.Equals(bytes, Vector128.Create((byte)'+')).ExtractMostSignificantBits() >> skip) << at;
    }
}
