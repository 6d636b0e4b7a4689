using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats;

namespace MidirEdge.Cli.Commands;

/// <summary>Reads instrument files for the commands; a file of another kind (an image, an archive) is refused naming what it looks like.</summary>
internal static class SpectrumFiles
{
    /// <summary>Every spectrum in <paramref name="path"/>.</summary>
    public static async Task<SpectrumFileContent> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var head = new byte[FileKind.HeadLength];
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (FileKind.Of(head.AsSpan(0, read)) is { } kind && SpectrumFile.Detect(head.AsSpan(0, read)) == SpectrumFormat.Csv)
            throw new SpectrumFormatException(path, $"not an OPUS, JCAMP-DX or CSV file: looks like {kind}");
        stream.Position = 0;
        return await SpectrumFile.ReadAsync(stream, path, cancellationToken);
    }
}
