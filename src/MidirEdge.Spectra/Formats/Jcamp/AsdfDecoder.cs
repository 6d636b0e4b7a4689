using System.Globalization;
using System.Runtime.CompilerServices;

namespace MidirEdge.Spectra.Formats.Jcamp;

/// <summary>
/// Decodes the ordinates of an <c>(X++(Y..Y))</c> table line by line: AFFN, PAC, SQZ, DIF and DUP forms,
/// mixed freely, with the DIF Y-check value verified.
/// </summary>
/// <remarks>
/// Each line starts with an abscissa check value, which is read and not used: the x axis comes from
/// ##FIRSTX, ##LASTX and ##NPOINTS. After a line that ends in DIF form, the next line's first ordinate
/// repeats the last one and must match it; only the table's last line may, when it holds nothing but that check value,
/// fail to match (as old SpectraFile exports write it): the value is then ignored, as jcampconverter ignores every
/// check value, and <see cref="Warning"/> says so. Values stay unscaled while decoding; <see cref="Finish"/> applies ##YFACTOR.
/// Memory grows with the values actually decoded and never past ##NPOINTS, whatever a DUP count says; it is rented
/// from the shared pool, so a read allocates only the exact array <see cref="Finish"/> returns.
/// </remarks>
internal sealed class AsdfDecoder : IDisposable
{
    private readonly string _file;
    private readonly int _expected;
    private PooledValues _y;
    private int _count;
    private double _last;
    private double _lastDifference;
    private bool _lineEndedInDifference;
    private bool _expectX;
    private bool _checkPending;
    private TokenKind _lastKind;
    private SpectrumFormatException? _unmatchedCheck;

    /// <summary>Prepares to decode <paramref name="expected"/> ordinates; <paramref name="capacity"/> is a first buffer size.</summary>
    public AsdfDecoder(string file, int expected, int capacity)
    {
        _file = file;
        _expected = expected;
        _y = new PooledValues(Math.Clamp(capacity, 1, expected));
    }

    private enum TokenKind : byte { None, Absolute, Difference, Duplicate }

    private const uint Separator = 0x01;
    private const uint Comment = 0x02;
    private const uint AffnStart = 0x03;
    private const uint Plus = 0x04;
    private const uint Minus = 0x05;
    private const uint Pseudodigit = 0x80;
    private const uint Negative = 0x40;

    /// <summary>
    /// What each byte is in a data line: <see cref="Separator"/> (blank, tab, comma), <see cref="Comment"/> ('$'),
    /// <see cref="AffnStart"/> (a digit or '.'), <see cref="Plus"/> and <see cref="Minus"/> ('+', '-'), 0 (not allowed), and for the SQZ, DIF and DUP
    /// characters <see cref="Pseudodigit"/> | <see cref="Negative"/> if negative | the <see cref="TokenKind"/> &lt;&lt; 4 | the digit.
    /// </summary>
    private static ReadOnlySpan<byte> Forms =>
    [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x02, 0xA0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x01, 0x05, 0x03, 0x00,
        0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6,
        0xA7, 0xA8, 0xA9, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6,
        0xE7, 0xE8, 0xE9, 0xB9, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// <summary>What was tolerated in the table (an unmatched check value on its last line), set by <see cref="Finish"/>; else null.</summary>
    public string? Warning { get; private set; }

    /// <summary>Decodes one data line (a line holding only blanks or a comment is skipped).</summary>
    public void DecodeLine(ReadOnlySpan<byte> line, int lineNumber)
    {
        // The line's first values (its X check value, and after a DIF line the Y check value) and whatever the run
        // loop does not handle itself are read one at a time by the general path; the rest in runs, without calls.
        // Most lines start with a plain AFFN X value after a line that needs no Y check, and go on with AFFN integers:
        // the X value is skipped here, unread, and the integers are read a window at a time before the run loop.
        _checkPending = _lineEndedInDifference;
        _lastKind = TokenKind.None;
        var i = 0;
        _expectX = _checkPending || _unmatchedCheck is not null || !SkipAbscissa(line, ref i);
        if (!_expectX) i = DecodeIntegers(line, i);
        while (i < line.Length)
        {
            if (!_expectX && !_checkPending)
            {
                i = DecodeRun(line, i);
                if (i == line.Length) break;
            }
            if (!DecodeValue(line, ref i, lineNumber)) break;
        }
        if (_lastKind != TokenKind.None) _lineEndedInDifference = _lastKind == TokenKind.Difference;
    }

    /// <summary>
    /// Skips the separators and an X check value at <paramref name="index"/> when it is an AFFN number of 1 to 19 digits
    /// without an exponent, which <see cref="DecodeValue"/> would accept and not use; false otherwise, with the index unchanged.
    /// </summary>
    private static bool SkipAbscissa(ReadOnlySpan<byte> line, ref int index)
    {
        var i = index;
        while ((uint)i < (uint)line.Length && Forms[line[i]] == Separator) i++;
        if ((uint)i < (uint)line.Length && line[i] is (byte)'+' or (byte)'-') i++;
        i = JcampNumbers.SkipDecimal(line, i, out var digits);
        if (digits is 0 or > 19 || ((uint)i < (uint)line.Length && line[i] is (byte)'E' or (byte)'e')) return false;
        index = i;
        return true;
    }

    /// <summary>
    /// Decodes the AFFN integers <see cref="AffnIntegers"/> reads from <paramref name="i"/>, the first ordinates of a line;
    /// the index after the last.
    /// </summary>
    private int DecodeIntegers(ReadOnlySpan<byte> line, int i)
    {
        var count = _count;
        var y = _y.Values;
        var room = Math.Min(y.Length, _expected);
        var read = AffnIntegers.Read(line, ref i, y[count..room]);
        if (read > 0)
        {
            _count = count + read;
            _last = y[_count - 1];
            _lastKind = TokenKind.Absolute;
        }
        return i;
    }

    /// <summary>
    /// Decodes the line's ordinates from <paramref name="i"/> while they are the common cases: SQZ and DIF values of
    /// up to 15 digits, DUP counts within the buffer, and AFFN values <see cref="TryReadAffnInteger"/> or <see cref="TryReadAffn"/> reads. The index where it
    /// stopped: the line's end, or the start of a value for <see cref="DecodeValue"/> (a comment, another form, an error,
    /// or a full buffer).
    /// </summary>
    /// <remarks>
    /// Nothing in the loop calls out, so that the decoder's state stays in registers; it is loaded from the fields at the
    /// start and stored back at the end.
    /// </remarks>
    private int DecodeRun(ReadOnlySpan<byte> line, int i)
    {
        var count = _count;
        var last = _last;
        var lastDifference = _lastDifference;
        var lastKind = _lastKind;
        var y = _y.Values;
        var room = Math.Min(y.Length, _expected);
        while (true)
        {
            // One lookup says what a byte starts: a separator, an AFFN number, or a SQZ, DIF or DUP value with its digit.
            uint form;
            while (true)
            {
                if ((uint)i >= (uint)line.Length) goto Stop;
                form = Forms[line[i]];
                if (form != Separator) break;
                i++;
            }
            if (count >= room) goto Stop;
            double value;
            if (form is AffnStart or Plus or Minus)
            {
                // AFFN integers, what most instrument exports write, take the short path; other AFFN values the general reader.
                if (!TryReadAffnInteger(line, ref i, form, out value) && !TryReadAffn(line, ref i, out value)) goto Stop;
                last = value;
                y[count++] = last;
                lastKind = TokenKind.Absolute;
                continue;
            }
            if (form < Pseudodigit) goto Stop;
            var start = i;
            var kind = (TokenKind)((form >> 4) & 3);
            var mantissa = (ulong)(form & 0xF);
            var digits = ++i;
            uint digit;
            while ((uint)i < (uint)line.Length && (digit = (uint)(line[i] - '0')) <= 9)
            {
                mantissa = mantissa * 10 + digit;
                i++;
            }
            // Up to 14 more digits the value is exact as an integer (below 2^53); a fraction or more digits are left to ReadToken.
            if (i - digits > 14 || (kind != TokenKind.Duplicate && (uint)i < (uint)line.Length && line[i] == '.'))
            {
                i = start;
                goto Stop;
            }
            value = (form & Negative) != 0 ? -(double)(long)mantissa : (long)mantissa;
            switch (kind)
            {
                case TokenKind.Absolute:
                    last = value;
                    y[count++] = last;
                    lastKind = TokenKind.Absolute;
                    break;
                case TokenKind.Difference:
                    if (count == 0)
                    {
                        i = start;
                        goto Stop;
                    }
                    last += value;
                    lastDifference = value;
                    y[count++] = last;
                    lastKind = TokenKind.Difference;
                    break;
                default:
                    // A count past the buffer (or past ##NPOINTS, an error) and one with no value before it go to DecodeValue.
                    if (lastKind == TokenKind.None || value - 1 > room - count)
                    {
                        i = start;
                        goto Stop;
                    }
                    var end = count + (int)value - 1;
                    if (lastKind == TokenKind.Difference)
                    {
                        while (count < end)
                        {
                            last += lastDifference;
                            y[count++] = last;
                        }
                    }
                    else
                    {
                        while (count < end) y[count++] = last;
                    }
                    break;
            }
        }
    Stop:
        _count = count;
        _last = last;
        _lastDifference = lastDifference;
        _lastKind = lastKind;
        return i;
    }

    /// <summary>
    /// Decodes the value at <paramref name="index"/> after any separators, whatever its form, checking everything; false
    /// when the line ends there (or a comment starts).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool DecodeValue(ReadOnlySpan<byte> line, ref int index, int lineNumber)
    {
        var i = index;
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)',') i++;
        if (i >= line.Length || IsComment(line, i))
        {
            index = i;
            return false;
        }
        // A line after an unmatched lone check value: that line was not the last, so the mismatch is an error.
        if (_expectX && _unmatchedCheck is { } unmatched) throw unmatched;
        // X check values are most often AFFN decimals, which the inlined reader takes without the general one's call.
        var kind = line[i] is (byte)'+' or (byte)'-' or (byte)'.' or >= (byte)'0' and <= (byte)'9' && TryReadAffn(line, ref i, out var value)
            ? TokenKind.Absolute
            : ReadToken(line, ref i, lineNumber, out value);
        index = i;
        if (_expectX)
        {
            if (kind != TokenKind.Absolute) throw Fail("a data line must start with an X value", lineNumber);
            _expectX = false;
            return true;
        }
        var last = _last;
        if (_checkPending)
        {
            if (kind != TokenKind.Absolute)
                throw Fail("the line after a DIF line must start with the Y check value", lineNumber);
            if (Math.Abs(value - last) > 1e-9 * Math.Max(Math.Abs(value), Math.Abs(last)))
            {
                var mismatch = Fail($"Y check value {Format(value)} does not match the last value {Format(last)} of the previous line", lineNumber);
                if (!OnlySeparatorsFrom(line, i)) throw mismatch;
                _unmatchedCheck = mismatch;
            }
            _checkPending = false;
            _lastKind = TokenKind.Absolute;
            return true;
        }
        var count = _count;
        var y = _y.Values;
        var room = Math.Min(y.Length, _expected);
        switch (kind)
        {
            case TokenKind.Absolute:
                last = value;
                if (count >= room) y = Grow(count, count + 1, lineNumber);
                y[count++] = last;
                _lastKind = TokenKind.Absolute;
                break;
            case TokenKind.Difference:
                if (count == 0) throw Fail("a DIF value has no value before it", lineNumber);
                last += value;
                _lastDifference = value;
                if (count >= room) y = Grow(count, count + 1, lineNumber);
                y[count++] = last;
                _lastKind = TokenKind.Difference;
                break;
            default:
                if (_lastKind == TokenKind.None) throw Fail("a DUP count has no value before it on its line", lineNumber);
                if (value - 1 > _expected - count)
                    throw Fail($"DUP count {Format(value)} runs past ##NPOINTS={_expected}", lineNumber);
                var extra = (int)value - 1;
                while (count + extra > room) room = Math.Min((y = Grow(count, count + extra, lineNumber)).Length, _expected);
                if (_lastKind == TokenKind.Difference)
                {
                    var lastDifference = _lastDifference;
                    for (var k = 0; k < extra; k++)
                    {
                        last += lastDifference;
                        y[count++] = last;
                    }
                }
                else
                {
                    y.Slice(count, extra).Fill(last);
                    count += extra;
                }
                break;
        }
        _count = count;
        _last = last;
        return true;
    }

    /// <summary>
    /// Reads an AFFN integer of 1 to 15 digits (after a sign when <paramref name="form"/> is <see cref="Plus"/> or
    /// <see cref="Minus"/>) not followed by '.', 'E' or 'e', as <see cref="TryReadAffn"/> reads it; false, with the index
    /// unchanged, for any other value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadAffnInteger(ReadOnlySpan<byte> line, ref int index, uint form, out double value)
    {
        var i = form == AffnStart ? index : index + 1;
        if (!JcampNumbers.TryReadShortInteger(line, ref i, out var integer)
            || ((uint)i < (uint)line.Length && line[i] is (byte)'.' or (byte)'E' or (byte)'e'))
        {
            value = 0;
            return false;
        }
        // Below 2^53 the signed conversion is exact and one instruction; the unsigned one is a sequence.
        value = form == Minus ? -(double)(long)integer : (long)integer;
        index = i;
        return true;
    }

    /// <summary>
    /// Reads an AFFN value (optional sign, digits, optional point and digits, not followed by 'E' or 'e') at
    /// <paramref name="index"/> when it is exact by <see cref="JcampNumbers.TryExact"/>, as <see cref="ReadToken"/> reads
    /// it; false, with the index unchanged, for any other value, which <see cref="ReadToken"/> then reads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadAffn(ReadOnlySpan<byte> line, ref int index, out double value)
    {
        var i = index;
        var sign = line[i];
        if (sign is (byte)'+' or (byte)'-') i++;
        var start = i;
        var mantissa = 0UL;
        i = JcampNumbers.ReadDigits(line, i, ref mantissa);
        var digits = i - start;
        var fraction = 0;
        if ((uint)i < (uint)line.Length && line[i] is (byte)'.' or (byte)'E' or (byte)'e')
        {
            // Integers, the most common AFFN values, skip this.
            if (line[i] != '.') goto Other;
            var point = ++i;
            i = JcampNumbers.ReadDigits(line, i, ref mantissa);
            fraction = i - point;
            digits += fraction;
            if ((uint)i < (uint)line.Length && line[i] is (byte)'E' or (byte)'e') goto Other;
        }
        if (digits == 0 || !JcampNumbers.TryExact(mantissa, digits, -fraction, out value)) goto Other;
        if (sign == '-') value = -value;
        index = i;
        return true;
    Other:
        value = 0;
        return false;
    }

    /// <summary>The decoded ordinates times <paramref name="yFactor"/>; fails unless exactly the expected number were found.</summary>
    public double[] Finish(double yFactor, int lineNumber)
    {
        if (_count != _expected)
            throw _unmatchedCheck ?? Fail($"the XYDATA table holds {_count} values but ##NPOINTS is {_expected}", lineNumber);
        if (_unmatchedCheck is { } unmatched)
            Warning = $"line {unmatched.Line}: {unmatched.Reason}; the check value on the table's last line is ignored, as jcampconverter ignores it";
        return _y.ToArray(_count, yFactor);
    }

    /// <summary>Gives the decoding buffer back to the pool.</summary>
    public void Dispose() => _y.Dispose();

    private static bool OnlySeparatorsFrom(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)',') i++;
        return i >= line.Length || IsComment(line, i);
    }

    private static bool IsComment(ReadOnlySpan<byte> line, int i) => line[i] == '$' && i + 1 < line.Length && line[i + 1] == '$';

    /// <summary>A larger buffer holding the <paramref name="count"/> values so far; fails when <paramref name="needed"/> values are more than ##NPOINTS.</summary>
    private Span<double> Grow(int count, int needed, int lineNumber)
    {
        if (needed > _expected) throw Fail($"the XYDATA table holds more than ##NPOINTS={_expected} values", lineNumber);
        _y.Grow(count, (int)Math.Min(_expected, Math.Max(16L, 2L * _y.Capacity)));
        return _y.Values;
    }

    /// <summary>Reads one value at <paramref name="index"/> (which is not a separator) and says which form it had.</summary>
    /// <remarks>Not inlined: the line's first value and the values <see cref="DecodeLine"/> does not read itself are rare, and inlined this would crowd the registers of its loop.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private TokenKind ReadToken(ReadOnlySpan<byte> line, ref int index, int lineNumber, out double value)
    {
        // The index stays in a local while digits are scanned, so that it can live in a register.
        var i = index;
        var c = line[i];
        var negative = false;
        var lead = -1;
        TokenKind kind;
        switch (c)
        {
            case >= (byte)'0' and <= (byte)'9' or (byte)'.':
                kind = TokenKind.Absolute;
                break;
            case (byte)'+' or (byte)'-':
                kind = TokenKind.Absolute;
                negative = c == '-';
                i++;
                break;
            case >= (byte)'@' and <= (byte)'I':
                kind = TokenKind.Absolute;
                lead = c - '@';
                i++;
                break;
            case >= (byte)'a' and <= (byte)'i':
                kind = TokenKind.Absolute;
                lead = c - 'a' + 1;
                negative = true;
                i++;
                break;
            case (byte)'%':
                kind = TokenKind.Difference;
                lead = 0;
                i++;
                break;
            case >= (byte)'J' and <= (byte)'R':
                kind = TokenKind.Difference;
                lead = c - 'I';
                i++;
                break;
            case >= (byte)'j' and <= (byte)'r':
                kind = TokenKind.Difference;
                lead = c - 'i';
                negative = true;
                i++;
                break;
            case >= (byte)'S' and <= (byte)'Z':
                kind = TokenKind.Duplicate;
                lead = c - 'R';
                i++;
                break;
            case (byte)'s':
                kind = TokenKind.Duplicate;
                lead = 9;
                i++;
                break;
            default:
                throw Unexpected(c, lineNumber);
        }
        var start = i;
        var mantissa = lead > 0 ? (ulong)lead : 0;
        var digits = lead > 0 ? 1 : 0;
        i = JcampNumbers.ReadDigits(line, i, ref mantissa);
        var whole = i - start;
        var fraction = 0;
        if (kind != TokenKind.Duplicate && (uint)i < (uint)line.Length && line[i] == '.')
        {
            var point = ++i;
            i = JcampNumbers.ReadDigits(line, i, ref mantissa);
            fraction = i - point;
        }
        if (lead < 0 && whole + fraction == 0) throw Fail("a number has no digits", lineNumber);
        digits += whole + fraction;
        var power = -fraction;
        if (lead < 0 && i + 2 < line.Length && line[i] is (byte)'E' or (byte)'e'
            && line[i + 1] is (byte)'+' or (byte)'-' && (uint)(line[i + 2] - '0') <= 9)
        {
            var minus = line[i + 1] == '-';
            i += 2;
            var e = 0;
            while ((uint)i < (uint)line.Length && (uint)(line[i] - '0') <= 9)
            {
                if (e < 100_000) e = e * 10 + (line[i] - '0');
                i++;
            }
            power += minus ? -e : e;
        }
        index = i;
        if (!JcampNumbers.TryExact(mantissa, digits, power, out value)) value = Parse(line[start..i], lead, lineNumber);
        if (negative) value = -value;
        return kind;
    }

    /// <summary>Parses a number too long (or with too large an exponent) for the fast path, with double.Parse.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private double Parse(ReadOnlySpan<byte> text, int lead, int lineNumber)
    {
        if (text.Length > 60) throw Fail("a number is too long", lineNumber);
        Span<byte> buffer = stackalloc byte[64];
        var n = 0;
        if (lead >= 0) buffer[n++] = (byte)('0' + lead);
        text.CopyTo(buffer[n..]);
        n += text.Length;
        if (!double.TryParse(buffer[..n], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw Fail("a number is out of range", lineNumber);
        return value;
    }

    private SpectrumFormatException Unexpected(byte c, int lineNumber) => Fail($"unexpected character {Describe(c)} in a data line", lineNumber);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Describe(byte c) => c is >= 0x20 and < 0x7F ? $"'{(char)c}'" : $"0x{c:X2}";

    private SpectrumFormatException Fail(string reason, int lineNumber) => new(_file, reason, line: lineNumber);
}
