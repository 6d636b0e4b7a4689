using System.Text;
using System.Text.Unicode;

namespace MidirEdge.Spectra.Formats.Jcamp;

/// <summary>Turns JCAMP-DX bytes into text: ASCII and UTF-8 as such, anything else as Latin-1.</summary>
internal static class JcampText
{
    /// <summary>Decodes <paramref name="bytes"/> as UTF-8 when valid, otherwise as Latin-1.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) =>
        Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);

    /// <summary>A label in the form used to compare labels: upper case, without blanks, '-', '_' or '/'.</summary>
    public static string Canonical(string label) => Compact(label, dropPunctuation: true);

    /// <summary>A label in the form used as a parameter key: upper case, without blanks.</summary>
    public static string Key(string label) => Compact(label, dropPunctuation: false);

    /// <summary>The label in upper case without blanks (and punctuation, if asked); the label itself when that changes nothing.</summary>
    private static string Compact(string label, bool dropPunctuation)
    {
        const int StackChars = 128;
        var buffer = label.Length <= StackChars ? stackalloc char[StackChars] : new char[label.Length];
        var n = 0;
        foreach (var c in label)
            if (c is not (' ' or '\t') && !(dropPunctuation && c is '-' or '_' or '/')) buffer[n++] = char.ToUpperInvariant(c);
        var compact = buffer[..n];
        return compact.SequenceEqual(label) ? label : new string(compact);
    }
}
