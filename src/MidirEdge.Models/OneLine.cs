using System.Globalization;
using System.Text;

namespace MidirEdge.Models;

/// <summary>Text from a bundle, the file system or a library made fit for one log or error line.</summary>
internal static class OneLine
{
    /// <summary><paramref name="text"/> with control characters escaped (<c>\u000a</c>), cut to <paramref name="max"/> characters.</summary>
    public static string Printable(string text, int max = int.MaxValue)
    {
        if (text.Length <= max && !text.Any(char.IsControl)) return text;
        var builder = new StringBuilder(Math.Min(text.Length, max) + 1);
        foreach (var c in text)
        {
            if (builder.Length >= max) return builder.Append('…').ToString();
            if (char.IsControl(c)) builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>A library's message without System.Text.Json's <c> Path: … | LineNumber: …</c> suffix, at most 300 characters.</summary>
    public static string Message(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return Printable(cut >= 0 ? message[..cut] : message, 300);
    }

    /// <summary>A value from a bundle, quoted for a message, at most 80 characters.</summary>
    public static string Quote(string value) => $"'{Printable(value, 80)}'";
}
