using System.Text;

namespace MidirEdge.Spectra.Formats.Csv;

/// <summary>Splits CSV text into records per RFC 4180, skipping blank lines and lines starting with '#'.</summary>
internal sealed class CsvRecordReader(string text, string file, char delimiter)
{
    private readonly StringBuilder _quoted = new();
    private int _position;
    private int _line = 1;

    /// <summary>Picks tab, then semicolon, then comma, whichever occurs outside quotes on the first content line.</summary>
    public static char DetectDelimiter(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOfAny(['\r', '\n'], start);
            if (end < 0) end = text.Length;
            var line = text.AsSpan(start, end - start);
            var content = line.TrimStart();
            if (!content.IsEmpty && content[0] != '#')
            {
                bool inQuotes = false, semicolon = false;
                foreach (var c in line)
                {
                    if (c == '"') inQuotes = !inQuotes;
                    else if (!inQuotes && c == '\t') return '\t';
                    else if (!inQuotes && c == ';') semicolon = true;
                }
                return semicolon ? ';' : ',';
            }
            start = end + 1;
        }
        return ',';
    }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the text.</summary>
    /// <param name="fields">Receives the record's fields (unquoted fields are trimmed).</param>
    /// <param name="line">1-based line on which the record starts.</param>
    public bool Next(List<string> fields, out int line)
    {
        fields.Clear();
        while (_position < text.Length)
        {
            line = _line;
            if (SkipBlankOrComment()) continue;
            while (true)
            {
                fields.Add(_position < text.Length && text[_position] == '"' ? ReadQuoted() : ReadUnquoted());
                if (_position < text.Length && text[_position] == delimiter)
                {
                    _position++;
                    continue;
                }
                ConsumeNewline();
                return true;
            }
        }
        line = _line;
        return false;
    }

    private bool SkipBlankOrComment()
    {
        var end = text.IndexOfAny(['\r', '\n'], _position);
        if (end < 0) end = text.Length;
        var content = text.AsSpan(_position, end - _position).TrimStart();
        if (!content.IsEmpty && content[0] != '#') return false;
        _position = end;
        ConsumeNewline();
        return true;
    }

    private string ReadUnquoted()
    {
        var start = _position;
        while (_position < text.Length)
        {
            var c = text[_position];
            if (c == delimiter || c == '\r' || c == '\n') break;
            _position++;
        }
        return text.AsSpan(start, _position - start).Trim().ToString();
    }

    private string ReadQuoted()
    {
        var startLine = _line;
        _quoted.Clear();
        _position++;
        while (true)
        {
            if (_position >= text.Length)
                throw new SpectrumFormatException(file, "quoted field is not closed", line: startLine);
            var c = text[_position++];
            if (c == '"')
            {
                if (_position < text.Length && text[_position] == '"')
                {
                    _quoted.Append('"');
                    _position++;
                    continue;
                }
                break;
            }
            if (c == '\n' || (c == '\r' && (_position >= text.Length || text[_position] != '\n'))) _line++;
            _quoted.Append(c);
        }
        while (_position < text.Length && text[_position] == ' ') _position++;
        if (_position < text.Length && text[_position] != delimiter && text[_position] != '\r' && text[_position] != '\n')
            throw new SpectrumFormatException(file, $"unexpected {MessageText.Quote([text[_position]])} after a closing quote", line: _line);
        return _quoted.ToString();
    }

    private void ConsumeNewline()
    {
        if (_position >= text.Length) return;
        if (text[_position] == '\r') _position++;
        if (_position < text.Length && text[_position] == '\n') _position++;
        _line++;
    }
}
