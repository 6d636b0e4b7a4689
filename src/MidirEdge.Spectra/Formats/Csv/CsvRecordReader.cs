using System.Buffers;
using System.Text;

namespace MidirEdge.Spectra.Formats.Csv;

/// <summary>
/// Splits UTF-8 CSV bytes into records per RFC 4180, one record at a time, skipping blank lines and lines starting
/// with '#'. Fields stay where they are in the bytes (only a quoted field with doubled quotes is copied, when asked
/// for), so reading a record allocates nothing but its field list; records past <see cref="SpectrumLimits.MaxColumns"/>
/// fields or <see cref="SpectrumLimits.MaxLineBytes"/> bytes are refused as soon as the scan reaches the limit.
/// </summary>
/// <remarks>A copy of the reader reads on independently of the original, but shares its buffers: use one at a time.</remarks>
internal ref struct CsvRecordReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _file;
    private readonly byte _delimiter;
    private Field[] _fields = new Field[16];
    private byte[] _unquoted = [];
    private int _position;
    private int _nextLine = 1;

    /// <summary>Reads records of <paramref name="data"/> (without byte-order mark) split at <paramref name="delimiter"/>, an ASCII character.</summary>
    public CsvRecordReader(ReadOnlySpan<byte> data, string file, byte delimiter)
    {
        _data = data;
        _file = file;
        _delimiter = delimiter;
    }

    /// <summary>Number of fields of the current record.</summary>
    public int Count { get; private set; }

    /// <summary>1-based line on which the current record starts.</summary>
    public int Line { get; private set; }

    /// <summary>
    /// Field <paramref name="index"/> of the current record, its quotes removed (an unquoted field is also trimmed of
    /// white space). A field with doubled quotes is undoubled into a buffer that the next call reuses.
    /// </summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            var field = _fields[index];
            var raw = _data.Slice(field.Start, field.Length);
            if (!field.DoubledQuotes) return raw;
            if (_unquoted.Length < raw.Length) _unquoted = new byte[Math.Max(raw.Length, 2 * _unquoted.Length)];
            var n = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                _unquoted[n++] = raw[i];
                if (raw[i] == '"') i++;
            }
            return _unquoted.AsSpan(0, n);
        }
    }

    /// <summary>Picks tab, then semicolon, then comma, whichever occurs outside quotes on the first content line.</summary>
    public static byte DetectDelimiter(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var end = data.IndexOfAny((byte)'\r', (byte)'\n');
            var line = end < 0 ? data : data[..end];
            var content = TrimStart(line);
            if (!content.IsEmpty && content[0] != '#')
            {
                bool inQuotes = false, semicolon = false;
                foreach (var c in line)
                {
                    if (c == '"') inQuotes = !inQuotes;
                    else if (!inQuotes && c == '\t') return (byte)'\t';
                    else if (!inQuotes && c == ';') semicolon = true;
                }
                return semicolon ? (byte)';' : (byte)',';
            }
            if (end < 0) break;
            data = data[(end + 1)..];
        }
        return (byte)',';
    }

    /// <summary>Moves to the next record; false at the end of the data.</summary>
    public bool MoveNext()
    {
        Count = 0;
        while (_position < _data.Length)
        {
            Line = _nextLine;
            if (SkipBlankOrComment()) continue;
            var start = _position;
            while (true)
            {
                if (Count == SpectrumLimits.MaxColumns)
                    throw Error(SpectrumLimits.Exceeded("the number of fields in a record", nameof(SpectrumLimits.MaxColumns), SpectrumLimits.MaxColumns), Line);
                var field = _position < _data.Length && _data[_position] == '"' ? ReadQuoted(start) : ReadUnquoted();
                if (_position - start > SpectrumLimits.MaxLineBytes)
                    throw Error(SpectrumLimits.Exceeded("a record's length in bytes", nameof(SpectrumLimits.MaxLineBytes), SpectrumLimits.MaxLineBytes), Line);
                if (Count == _fields.Length) Array.Resize(ref _fields, 2 * Count);
                _fields[Count++] = field;
                if (_position < _data.Length && _data[_position] == _delimiter)
                {
                    _position++;
                    continue;
                }
                ConsumeNewline();
                return true;
            }
        }
        Line = _nextLine;
        return false;
    }

    /// <summary><paramref name="text"/> without leading white space (any Unicode white space, as <see cref="string.Trim()"/> removes).</summary>
    public static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            // ASCII, nearly every byte of a spectrum file, is looked up directly; decoding each byte as a Rune was a
            // tenth of reading a CSV spectrum.
            if (text[0] < 0x80)
            {
                if (!char.IsWhiteSpace((char)text[0])) break;
                text = text[1..];
            }
            else if (Rune.DecodeFromUtf8(text, out var rune, out var used) == OperationStatus.Done && Rune.IsWhiteSpace(rune)) text = text[used..];
            else break;
        }
        return text;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        text = TrimStart(text);
        while (!text.IsEmpty)
        {
            if (text[^1] < 0x80)
            {
                if (!char.IsWhiteSpace((char)text[^1])) break;
                text = text[..^1];
            }
            else if (Rune.DecodeLastFromUtf8(text, out var rune, out var used) == OperationStatus.Done && Rune.IsWhiteSpace(rune)) text = text[..^used];
            else break;
        }
        return text;
    }

    private bool SkipBlankOrComment()
    {
        var rest = _data[_position..];
        var end = rest.IndexOfAny((byte)'\r', (byte)'\n');
        var content = TrimStart(end < 0 ? rest : rest[..end]);
        if (!content.IsEmpty && content[0] != '#') return false;
        _position = end < 0 ? _data.Length : _position + end;
        ConsumeNewline();
        return true;
    }

    private Field ReadUnquoted()
    {
        var rest = _data[_position..];
        var end = rest.IndexOfAny(_delimiter, (byte)'\r', (byte)'\n');
        if (end < 0) end = rest.Length;
        var raw = rest[..end];
        var lead = raw.Length - TrimStart(raw).Length;
        var field = new Field(_position + lead, Trim(raw).Length, DoubledQuotes: false);
        _position += end;
        return field;
    }

    private Field ReadQuoted(int recordStart)
    {
        var startLine = _nextLine;
        var start = ++_position;
        var doubled = false;
        while (true)
        {
            var quote = _data[_position..].IndexOf((byte)'"');
            if (quote < 0 || _position + quote - recordStart > SpectrumLimits.MaxLineBytes)
            {
                _nextLine += CountLineBreaks(_data[_position..]);
                throw quote < 0
                    ? Error("quoted field is not closed", startLine)
                    : Error(SpectrumLimits.Exceeded("a record's length in bytes", nameof(SpectrumLimits.MaxLineBytes), SpectrumLimits.MaxLineBytes), Line);
            }
            _nextLine += CountLineBreaks(_data.Slice(_position, quote));
            _position += quote + 1;
            if (_position < _data.Length && _data[_position] == '"')
            {
                doubled = true;
                _position++;
                continue;
            }
            break;
        }
        var field = new Field(start, _position - 1 - start, doubled);
        while (_position < _data.Length && _data[_position] == ' ') _position++;
        if (_position < _data.Length && _data[_position] != _delimiter && _data[_position] != '\r' && _data[_position] != '\n')
            throw Error($"unexpected {OneLine.Quote(_data.Slice(_position, 1))} after a closing quote", _nextLine);
        return field;
    }

    /// <summary>Line breaks in <paramref name="text"/>: LF, CRLF and a lone CR each count once.</summary>
    private static int CountLineBreaks(ReadOnlySpan<byte> text)
    {
        var count = text.Count((byte)'\n');
        for (var at = text.IndexOf((byte)'\r'); at >= 0; at = text.IndexOf((byte)'\r'))
        {
            if (at + 1 >= text.Length || text[at + 1] != '\n') count++;
            text = text[(at + 1)..];
        }
        return count;
    }

    private void ConsumeNewline()
    {
        if (_position >= _data.Length) return;
        if (_data[_position] == '\r') _position++;
        if (_position < _data.Length && _data[_position] == '\n') _position++;
        _nextLine++;
    }

    private readonly SpectrumFormatException Error(string reason, int line) => new(_file, reason, line: line);

    /// <summary>Where a field's text lies in the data, and whether it holds doubled quotes to undo.</summary>
    private readonly record struct Field(int Start, int Length, bool DoubledQuotes);
}
