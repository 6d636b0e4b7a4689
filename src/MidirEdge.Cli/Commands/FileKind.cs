using MidirEdge.Spectra.Formats.Jcamp;
using MidirEdge.Spectra.Formats.Opus;

namespace MidirEdge.Cli.Commands;

/// <summary>What a file given in the wrong place looks like, from its first bytes ("looks like a Bruker OPUS file").</summary>
internal static class FileKind
{
    /// <summary>Bytes enough to tell the kinds apart.</summary>
    public const int HeadLength = 64;

    /// <summary>Whether <paramref name="head"/> starts a gzip stream.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> head) => head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]);

    /// <summary>The kind of file <paramref name="head"/> starts, or null for text that may be CSV.</summary>
    public static string? Of(ReadOnlySpan<byte> head) =>
        OpusReader.IsOpus(head) ? "a Bruker OPUS file"
        : JcampReader.IsJcamp(head) ? "a JCAMP-DX file"
        : head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) ? "a PNG image"
        : head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "a JPEG image"
        : head.StartsWith("%PDF"u8) ? "a PDF document"
        : head.StartsWith("PK\u0003\u0004"u8) ? "a zip archive (a model bundle, or an Excel workbook: save it as CSV)"
        : head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]) ? "an Office document (an .xls workbook: save it as CSV)"
        : IsGzip(head) ? "a gzip file"
        : head.StartsWith("\u007FELF"u8) ? "a program"
        : null;

    /// <summary>The first <see cref="HeadLength"/> bytes of <paramref name="data"/>.</summary>
    public static ReadOnlySpan<byte> Head(ReadOnlySpan<byte> data) => data[..Math.Min(data.Length, HeadLength)];
}
