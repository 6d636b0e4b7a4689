using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Spectra.Formats.Jcamp;
using MidirEdge.Spectra.Formats.Opus;

namespace MidirEdge.Spectra.Formats;

/// <summary>Every spectrum read from one file, with the format it was detected as.</summary>
public sealed record SpectrumFileContent(string File, SpectrumFormat Format, IReadOnlyList<Spectrum> Spectra);

/// <summary>Reads any supported file, choosing the reader by content rather than by file name.</summary>
public static class SpectrumFile
{
    /// <summary>Largest file accepted: <see cref="SpectrumLimits.MaxFileBytes"/> (256 MiB); instrument files are kilobytes to a few megabytes.</summary>
    public const int MaxBytes = SpectrumLimits.MaxFileBytes;

    /// <summary>Detects the format from the file's first bytes.</summary>
    public static SpectrumFormat Detect(ReadOnlySpan<byte> head) =>
        OpusReader.IsOpus(head) ? SpectrumFormat.Opus
        : JcampReader.IsJcamp(head) ? SpectrumFormat.Jcamp
        : SpectrumFormat.Csv;

    /// <summary>Reads every spectrum in <paramref name="data"/>; <paramref name="file"/> names it in errors and metadata.</summary>
    /// <remarks>Files past any of the <see cref="SpectrumLimits"/> are refused with a <see cref="SpectrumFormatException"/> naming the limit.</remarks>
    public static SpectrumFileContent Read(ReadOnlySpan<byte> data, string file)
    {
        if (data.IsEmpty) throw new SpectrumFormatException(file, "the file is empty");
        var format = Detect(data);
        IReadOnlyList<Spectrum> spectra = format switch
        {
            SpectrumFormat.Opus => OpusReader.Read(data, file).Spectra,
            SpectrumFormat.Jcamp => JcampReader.Read(data, file),
            _ => CsvSpectrumReader.Read(data, file),
        };
        return new SpectrumFileContent(file, format, spectra);
    }

    /// <summary>Reads a whole stream (at most <see cref="MaxBytes"/>) and then every spectrum in it.</summary>
    public static async Task<SpectrumFileContent> ReadAsync(Stream stream, string file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var left = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : 0;
        SpectrumLimits.CheckFileSize(left, file);
        using var buffer = new MemoryStream(stream.CanSeek ? (int)left : 64 * 1024);
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            SpectrumLimits.CheckFileSize(buffer.Length + read, file);
            buffer.Write(chunk, 0, read);
        }
        return Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), file);
    }
}
