using System.Text;

namespace MidirEdge.Spectra.Formats.Opus;

/// <summary>Decodes OPUS text, which Windows writes in code page 1252 (as opusreader2 reads it).</summary>
internal static class Windows1252
{
    // 0x80–0x9F; the five bytes 1252 leaves undefined map to the matching C1 control character.
    private static readonly char[] High =
    [
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
        '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
        '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    ];

    /// <summary>Decodes the bytes up to the first NUL (or all of them).</summary>
    public static string GetNulTerminatedString(ReadOnlySpan<byte> bytes)
    {
        var nul = bytes.IndexOf((byte)0);
        return GetString(nul < 0 ? bytes : bytes[..nul]);
    }

    /// <summary>Decodes all bytes.</summary>
    public static string GetString(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return string.Empty;
        if (!bytes.ContainsAnyInRange((byte)0x80, (byte)0x9F)) return Encoding.Latin1.GetString(bytes);
        return string.Create(bytes.Length, bytes, static (chars, bytes) => GetChars(bytes, chars));
    }

    /// <summary>Decodes all bytes into the start of <paramref name="chars"/>, which must be at least as long.</summary>
    public static void GetChars(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        // Latin-1 is 1252 but for 0x80–0x9F: widen a vector at a time, then put right the few bytes of that range.
        Encoding.Latin1.GetChars(bytes, chars);
        for (var at = bytes.IndexOfAnyInRange((byte)0x80, (byte)0x9F); at >= 0;)
        {
            chars[at] = High[bytes[at] - 0x80];
            var next = bytes[(at + 1)..].IndexOfAnyInRange((byte)0x80, (byte)0x9F);
            at = next < 0 ? -1 : at + 1 + next;
        }
    }
}
