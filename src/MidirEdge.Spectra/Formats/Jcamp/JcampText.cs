using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Unicode;

namespace MidirEdge.Spectra.Formats.Jcamp;

/// <summary>Turns JCAMP-DX bytes into text: ASCII and UTF-8 as such, anything else as Latin-1.</summary>
internal static class JcampText
{
    private const int StackChars = 256;
    private const int MaxCachedKeys = 4096;
    private const int MaxCachedKeyLength = 64;
    private static readonly ConcurrentDictionary<string, string> Keys = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KeysBySpan =
        Keys.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Decodes <paramref name="bytes"/> as UTF-8 when valid, otherwise as Latin-1.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) =>
        Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);

    /// <summary>Decodes <paramref name="bytes"/> as <see cref="Decode"/> does, without leading and trailing white space.</summary>
    public static string DecodeTrimmed(ReadOnlySpan<byte> bytes)
    {
        // Decoded on the stack, or in a pooled buffer when long, so that only the trimmed text is allocated.
        char[]? rented = null;
        // Only as many chars as bytes: the stack buffer is cleared on every call.
        var chars = bytes.Length <= StackChars ? stackalloc char[bytes.Length] : (rented = ArrayPool<char>.Shared.Rent(bytes.Length));
        var text = new string(DecodeTrimmed(bytes, chars));
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        return text;
    }

    /// <summary>Decodes <paramref name="bytes"/> into <paramref name="chars"/> (at least one char per byte); the text without leading and trailing white space.</summary>
    public static Span<char> DecodeTrimmed(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        // ASCII, what nearly every file holds, is widened in one pass; other text is checked as UTF-8 first and decoded again.
        if (Ascii.ToUtf16(bytes, chars, out var length) != OperationStatus.Done)
            length = Utf8.IsValid(bytes) ? Encoding.UTF8.GetChars(bytes, chars) : Encoding.Latin1.GetChars(bytes, chars);
        return chars[..length].Trim();
    }

    /// <summary>
    /// A label in the form used to compare labels, written to <paramref name="chars"/> (at least as long as the label):
    /// upper case, without blanks, '-', '_' or '/'.
    /// </summary>
    public static ReadOnlySpan<char> Canonical(ReadOnlySpan<char> label, Span<char> chars) => Compact(label, chars, dropPunctuation: true);

    /// <summary>A label in the form used as a parameter key, written to <paramref name="chars"/> (at least as long as the label): upper case, without blanks.</summary>
    public static ReadOnlySpan<char> KeyOf(ReadOnlySpan<char> label, Span<char> chars) => Compact(label, chars, dropPunctuation: false);

    /// <summary>
    /// The canonical label (see <see cref="Canonical"/>) of a label already in key form (see <see cref="KeyOf"/>): the key
    /// itself unless it holds '-', '_' or '/', else written to <paramref name="chars"/>.
    /// </summary>
    public static ReadOnlySpan<char> CanonicalOfKey(ReadOnlySpan<char> key, Span<char> chars) =>
        key.IndexOfAny('-', '_', '/') < 0 ? key : Compact(key, chars, dropPunctuation: true);

    /// <summary>A key (see <see cref="KeyOf"/>) as a string; keys seen before are shared rather than allocated again.</summary>
    public static string Key(ReadOnlySpan<char> key)
    {
        if (KeysBySpan.TryGetValue(key, out var shared)) return shared;
        var text = new string(key);
        if (text.Length <= MaxCachedKeyLength && Keys.Count < MaxCachedKeys) Keys.TryAdd(text, text);
        return text;
    }

    /// <summary>The label in upper case without blanks (and punctuation, if asked).</summary>
    private static Span<char> Compact(ReadOnlySpan<char> label, Span<char> chars, bool dropPunctuation)
    {
        var n = 0;
        foreach (var c in label)
            if (c is not (' ' or '\t') && !(dropPunctuation && c is '-' or '_' or '/')) chars[n++] = char.ToUpperInvariant(c);
        return chars[..n];
    }
}
