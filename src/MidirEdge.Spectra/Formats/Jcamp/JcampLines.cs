namespace MidirEdge.Spectra.Formats.Jcamp;

/// <summary>
/// Walks the lines of a JCAMP-DX text (LF, CRLF or CR endings) without allocating; a line longer than
/// <see cref="SpectrumLimits.MaxLineBytes"/> is refused.
/// </summary>
internal ref struct JcampLines
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _file;
    private int _next;

    public JcampLines(ReadOnlySpan<byte> data, string file)
    {
        _data = data;
        _file = file;
        // A UTF-8 byte order mark is not text.
        if (data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) _next = 3;
    }

    /// <summary>The current line, without its line ending.</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>1-based number of <see cref="Current"/>.</summary>
    public int Number { get; private set; }

    /// <summary>Bytes after the current line.</summary>
    public readonly int Remaining => _data.Length - _next;

    /// <summary>Advances to the next line; false at the end of the text.</summary>
    public bool MoveNext()
    {
        if (_next >= _data.Length) return false;
        var rest = _data[_next..];
        var end = rest.IndexOfAny((byte)'\r', (byte)'\n');
        if (end < 0)
        {
            Current = rest;
            _next = _data.Length;
        }
        else
        {
            Current = rest[..end];
            _next += end + 1;
            if (rest[end] == '\r' && end + 1 < rest.Length && rest[end + 1] == '\n') _next++;
        }
        Number++;
        if (Current.Length > SpectrumLimits.MaxLineBytes)
            throw new SpectrumFormatException(_file,
                SpectrumLimits.Exceeded("the line's length in bytes", nameof(SpectrumLimits.MaxLineBytes), SpectrumLimits.MaxLineBytes), line: Number);
        return true;
    }

    /// <summary>True when the line after the current one starts a labelled data record (<c>##</c>), or there is none.</summary>
    public readonly bool NextStartsRecordOrEnds()
    {
        // Blanks and tabs are not line breaks, so the next line need not be delimited to see how it starts.
        if (_next >= _data.Length) return true;
        var i = _next;
        while (i < _data.Length && _data[i] is (byte)' ' or (byte)'\t') i++;
        return i + 1 < _data.Length && _data[i] == '#' && _data[i + 1] == '#';
    }

    /// <summary>True when <paramref name="line"/> (after leading blanks) starts with <c>##</c>.</summary>
    public static bool StartsRecord(ReadOnlySpan<byte> line) => TrimStart(line).StartsWith("##"u8);

    /// <summary>The line without leading blanks and tabs.</summary>
    public static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> line)
    {
        var i = 0;
        while (i < line.Length && (line[i] == ' ' || line[i] == '\t')) i++;
        return line[i..];
    }

    /// <summary>The line up to a <c>$$</c> comment.</summary>
    public static ReadOnlySpan<byte> WithoutComment(ReadOnlySpan<byte> line)
    {
        // Looking for one byte is faster than for two, and a lone '$' is rare.
        var from = 0;
        while (true)
        {
            var at = line[from..].IndexOf((byte)'$');
            if (at < 0) return line;
            at += from;
            if (at + 1 < line.Length && line[at + 1] == '$') return line[..at];
            from = at + 1;
        }
    }
}
