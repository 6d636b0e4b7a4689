using System.Globalization;
using System.Text;

namespace MidirEdge.Agent.Capturing;

/// <summary>
/// Text that may carry bytes from outside (file contents, file names, exception messages quoting them) made fit for one
/// line of a log, a terminal, a <c>.error.txt</c> or a payload: line breaks and tabs become spaces, other control and
/// invisible formatting characters (ESC sequences, bidirectional overrides) and broken surrogates become <c>?</c>, and
/// the length is bounded.
/// </summary>
public static class OneLine
{
    /// <summary>Characters kept by default; the rest is cut and counted.</summary>
    public const int DefaultMaxLength = 500;

    /// <summary>The safe, bounded form of <paramref name="text"/> (empty for null).</summary>
    public static string Of(string? text, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        if (string.IsNullOrEmpty(text)) return "";
        var keep = Math.Min(text.Length, maxLength);
        // Never cut a surrogate pair in half.
        if (keep < text.Length && char.IsHighSurrogate(text[keep - 1])) keep--;
        var safe = new StringBuilder(keep + 32);
        for (var i = 0; i < keep; i++)
        {
            var c = text[i];
            if (char.IsSurrogatePair(text, i))
            {
                safe.Append(c).Append(text[++i]);
                continue;
            }
            safe.Append(Replacement(c) ?? c);
        }
        if (keep < text.Length)
            safe.Append(CultureInfo.InvariantCulture, $"… ({text.Length - keep} more characters)");
        return safe.ToString();
    }

    private static char? Replacement(char c)
    {
        if (c is '\n' or '\r' or '\t' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029') return ' ';
        if (char.IsControl(c) || char.IsSurrogate(c)) return '?';
        return CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format ? '?' : null;
    }
}
