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
    public static string Canonical(string label)
    {
        var buffer = new StringBuilder(label.Length);
        foreach (var c in label)
            if (c is not (' ' or '\t' or '-' or '_' or '/')) buffer.Append(char.ToUpperInvariant(c));
        return buffer.ToString();
    }

    /// <summary>A label in the form used as a parameter key: upper case, without blanks.</summary>
    public static string Key(string label)
    {
        var buffer = new StringBuilder(label.Length);
        foreach (var c in label)
            if (c is not (' ' or '\t')) buffer.Append(char.ToUpperInvariant(c));
        return buffer.ToString();
    }
}
