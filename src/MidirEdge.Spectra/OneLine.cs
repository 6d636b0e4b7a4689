using System.Buffers;
using System.Globalization;
using System.Text;

namespace MidirEdge.Spectra;

/// <summary>
/// Keeps text from outside (file content and names, messages quoting them) harmless wherever it is shown: quoted and cut
/// short, and one printable line (no line breaks, escape sequences, bidirectional overrides or other invisible characters
/// for a log, a terminal, a <c>.error.txt</c> or a payload to act on). Every project's messages go through it.
/// </summary>
public static class OneLine
{
    /// <summary>Most characters of a line by default.</summary>
    public const int DefaultMaxLength = 500;

    /// <summary>Most characters of file content quoted in a message (before escaping).</summary>
    public const int MaxQuoted = 40;

    private const char Ellipsis = '…';

    /// <summary>File text as <c>'text'</c>: at most <see cref="MaxQuoted"/> characters, then <c>…</c>; unprintable characters escaped.</summary>
    public static string Quote(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(MaxQuoted + 8).Append('\'');
        var shown = text.Length <= MaxQuoted ? text : text[..MaxQuoted];
        if (shown.Length < text.Length && char.IsHighSurrogate(shown[^1])) shown = shown[..^1];
        AppendEscaped(builder, shown, int.MaxValue);
        if (shown.Length < text.Length) builder.Append(Ellipsis);
        return builder.Append('\'').ToString();
    }

    /// <summary>File bytes (UTF-8 text; other bytes shown as U+FFFD) quoted as <see cref="Quote(ReadOnlySpan{char})"/> does.</summary>
    public static string Quote(ReadOnlySpan<byte> text) =>
        // Any 4 * (MaxQuoted + 1) bytes decode to more than MaxQuoted characters, so a cut text still ends in an ellipsis.
        Quote(Encoding.UTF8.GetString(text.Length <= 4 * (MaxQuoted + 1) ? text : text[..(4 * (MaxQuoted + 1))]));

    /// <summary>
    /// <paramref name="text"/> as one printable line of at most <paramref name="max"/> characters: line breaks, tabs and
    /// other control, format and separator characters (and lone surrogates) escaped as <c>\n</c>, <c>\t</c> or <c>\u001B</c>;
    /// longer text is cut and ends in <c>…</c>.
    /// </summary>
    public static string Of(string? text, int max = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        if (string.IsNullOrEmpty(text)) return "";
        if (text.Length <= max && IsPrintableLine(text)) return text;
        var builder = new StringBuilder(Math.Min(text.Length, max));
        if (!AppendEscaped(builder, text, max - 1))
            builder.Append(Ellipsis);
        return builder.ToString();
    }

    /// <summary>Appends <paramref name="text"/> escaped while the result stays within <paramref name="max"/> characters; false if cut.</summary>
    private static bool AppendEscaped(StringBuilder builder, ReadOnlySpan<char> text, int max)
    {
        Span<char> escape = stackalloc char[6];
        while (!text.IsEmpty)
        {
            scoped ReadOnlySpan<char> piece;
            if (Rune.DecodeFromUtf16(text, out var rune, out var used) == OperationStatus.Done && IsPrintable(rune))
            {
                piece = text[..used];
            }
            else
            {
                used = 1;
                piece = Escape(text[0], escape);
            }
            if (builder.Length + piece.Length > max) return false;
            builder.Append(piece);
            text = text[used..];
        }
        return true;
    }

    private static ReadOnlySpan<char> Escape(char c, Span<char> buffer)
    {
        switch (c)
        {
            case '\n': return @"\n";
            case '\r': return @"\r";
            case '\t': return @"\t";
        }
        buffer[0] = '\\';
        buffer[1] = 'u';
        ((int)c).TryFormat(buffer[2..], out _, "X4", CultureInfo.InvariantCulture);
        return buffer;
    }

    private static bool IsPrintableLine(string text)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done || !IsPrintable(rune)) return false;
            rest = rest[used..];
        }
        return true;
    }

    private static bool IsPrintable(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
}
