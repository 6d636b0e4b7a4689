using MidirEdge.Spectra;

namespace MidirEdge.Models;

/// <summary>A library's exception message made fit for a refusal line.</summary>
internal static class LibraryMessage
{
    /// <summary><paramref name="message"/> without System.Text.Json's <c> Path: … | LineNumber: …</c> suffix, one printable line of at most 300 characters.</summary>
    public static string Of(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return OneLine.Of(cut >= 0 ? message[..cut] : message, 300);
    }
}
