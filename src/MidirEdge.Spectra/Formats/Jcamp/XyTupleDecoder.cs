using System.Runtime.CompilerServices;

namespace MidirEdge.Spectra.Formats.Jcamp;

/// <summary>
/// Decodes a table of explicit tuples, <c>(XY..XY)</c> or <c>(XYW..XYW)</c> and the like, as used by
/// ##XYPOINTS and ##PEAK TABLE: AFFN numbers separated by blanks, commas or semicolons.
/// </summary>
/// <remarks>The points grow in buffers rented from the shared pool; a read allocates only the exact arrays <see cref="Finish"/> returns.</remarks>
internal sealed class XyTupleDecoder : IDisposable
{
    private readonly string _file;
    private readonly int _arity;
    private readonly int _maxPoints;
    private PooledValues _x = new(64);
    private PooledValues _y = new(64);
    private int _points;
    private int _column;

    /// <summary>Prepares to decode at most <paramref name="maxPoints"/> tuples of <paramref name="arity"/> numbers (x, y, then ignored ones).</summary>
    public XyTupleDecoder(string file, int arity, int maxPoints)
    {
        _file = file;
        _arity = arity;
        _maxPoints = maxPoints;
    }

    /// <summary>Number of complete points so far.</summary>
    public int Count => _points;

    /// <summary>The number of values per point for a variable list such as <c>(XY..XY)</c>, or 0 if it is not one.</summary>
    public static int ArityOf(ReadOnlySpan<char> variables)
    {
        variables = variables.Trim();
        if (variables.Length < 4 || variables[0] != '(' || variables[^1] != ')') return 0;
        var inner = variables[1..^1];
        var dots = inner.IndexOf("..", StringComparison.Ordinal);
        if (dots < 2) return 0;
        var group = inner[..dots].Trim();
        if (!group.StartsWith("XY", StringComparison.OrdinalIgnoreCase)) return 0;
        foreach (var c in group)
            if (!char.IsAsciiLetter(c)) return 0;
        return group.Length;
    }

    /// <summary>Decodes one line of the table.</summary>
    public void DecodeLine(ReadOnlySpan<byte> line, int lineNumber)
    {
        line = JcampLines.WithoutComment(line);
        var i = 0;
        while (true)
        {
            // Plain decimals are read in runs; anything else (an exponent, a number past the exact fast path, text, a full
            // buffer) one value at a time here, the value cut out as a token and parsed as a whole.
            i = DecodeRun(line, i);
            while (i < line.Length && IsSeparator(line[i])) i++;
            if (i >= line.Length) return;
            if (!TryReadDecimal(line, ref i, out var value))
            {
                var start = i;
                while (i < line.Length && !IsSeparator(line[i])) i++;
                var token = line[start..i];
                if (token.Length > 60
                    || !JcampNumbers.TryParse(token, out value)
                    || !double.IsFinite(value))
                    throw NotANumber(token, lineNumber);
            }
            Add(value, lineNumber);
        }
    }

    /// <summary>
    /// Decodes the plain decimals of the line from <paramref name="i"/> while the buffers have room; the index of the
    /// line's end or of the value <see cref="DecodeLine"/> reads next.
    /// </summary>
    /// <remarks>Nothing in the loop calls out, so that the points, column and buffers stay in registers.</remarks>
    private int DecodeRun(ReadOnlySpan<byte> line, int i)
    {
        var points = _points;
        var column = _column;
        var arity = _arity;
        var x = _x.Values;
        var y = _y.Values;
        var room = Math.Min(Math.Min(x.Length, y.Length), _maxPoints);
        while (true)
        {
            while ((uint)i < (uint)line.Length && IsSeparator(line[i])) i++;
            if ((uint)i >= (uint)line.Length || (column == 0 && points >= room) || !TryReadDecimal(line, ref i, out var value)) break;
            if (column == 0) x[points] = value;
            else if (column == 1) y[points] = value;
            if (++column == arity)
            {
                column = 0;
                points++;
            }
        }
        _points = points;
        _column = column;
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSeparator(byte b) => b is (byte)' ' or (byte)'\t' or (byte)',' or (byte)';';

    /// <summary>
    /// Reads a decimal (optional sign, digits, optional point and digits) that ends at a separator or the line's end and
    /// is exact by <see cref="JcampNumbers.TryExact"/>, as <see cref="JcampNumbers.TryParse"/> would read it; false, with
    /// the index unchanged, for anything else.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadDecimal(ReadOnlySpan<byte> line, ref int index, out double value)
    {
        var i = index;
        var negative = false;
        if (line[i] is (byte)'+' or (byte)'-')
        {
            negative = line[i] == '-';
            i++;
        }
        var mantissa = 0UL;
        var start = i;
        i = JcampNumbers.ReadDigits(line, i, ref mantissa);
        var whole = i - start;
        var fraction = 0;
        if ((uint)i < (uint)line.Length && line[i] == '.')
        {
            var point = ++i;
            i = JcampNumbers.ReadDigits(line, i, ref mantissa);
            fraction = i - point;
        }
        if (whole + fraction == 0 || ((uint)i < (uint)line.Length && !IsSeparator(line[i]))
            || !JcampNumbers.TryExact(mantissa, whole + fraction, -fraction, out value))
        {
            value = 0;
            return false;
        }
        if (negative) value = -value;
        index = i;
        return true;
    }

    /// <summary>Puts the next value of the table where it belongs: x, y, or (past the second value of a tuple) nowhere.</summary>
    private void Add(double value, int lineNumber)
    {
        // Where the value goes is counted, not divided out of a running total: a division per value is slow.
        switch (_column)
        {
            case 0:
                if (_points == _maxPoints) throw TooManyPoints(lineNumber);
                if (_points == _x.Capacity)
                {
                    var size = (int)Math.Min(_maxPoints, 2L * _points);
                    _x.Grow(_points, size);
                    _y.Grow(_points, size);
                }
                _x[_points] = value;
                break;
            case 1:
                _y[_points] = value;
                break;
        }
        if (++_column == _arity)
        {
            _column = 0;
            _points++;
        }
    }

    private SpectrumFormatException NotANumber(ReadOnlySpan<byte> token, int lineNumber) =>
        new(_file, $"{OneLine.Quote(JcampText.Decode(token[..Math.Min(token.Length, OneLine.MaxQuoted + 1)]))} is not a number", line: lineNumber);

    private SpectrumFormatException TooManyPoints(int lineNumber) =>
        new(_file, _points == SpectrumLimits.MaxPoints
            ? SpectrumLimits.Exceeded("the number of points in the table", nameof(SpectrumLimits.MaxPoints), SpectrumLimits.MaxPoints)
            : SpectrumLimits.Exceeded("the number of points in the file", nameof(SpectrumLimits.MaxValues), SpectrumLimits.MaxValues), line: lineNumber);

    /// <summary>The points, scaled by the factors; fails on an incomplete last tuple.</summary>
    public (double[] X, double[] Y) Finish(double xFactor, double yFactor, int lineNumber)
    {
        if (_column != 0)
            throw new SpectrumFormatException(_file, $"the table ends inside a tuple of {_arity} values", line: lineNumber);
        return (_x.ToArray(Count, xFactor), _y.ToArray(Count, yFactor));
    }

    /// <summary>Gives the decoding buffers back to the pool.</summary>
    public void Dispose()
    {
        _x.Dispose();
        _y.Dispose();
    }
}
