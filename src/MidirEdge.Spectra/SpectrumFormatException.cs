namespace MidirEdge.Spectra;

/// <summary>A file could not be read as a spectrum; says which file, where, and why, in one printable line.</summary>
/// <remarks>
/// The message and <see cref="Reason"/> are made safe whatever they are given: control, format and separator characters
/// are escaped (<c>\n</c>, <c>\u001B</c>) and text past <see cref="MaxMessageLength"/> characters is cut, so that file
/// content can never break a log line or reach a terminal as an escape sequence. Readers quote file content short as well.
/// </remarks>
public class SpectrumFormatException : Exception
{
    /// <summary>Most characters in <see cref="Exception.Message"/> and <see cref="Reason"/>.</summary>
    public const int MaxMessageLength = 512;

    /// <summary>Creates the exception.</summary>
    /// <param name="file">File or stream name.</param>
    /// <param name="reason">Why it could not be read.</param>
    /// <param name="offset">Byte offset of the problem, for binary formats.</param>
    /// <param name="line">1-based line number of the problem, for text formats.</param>
    /// <param name="inner">Underlying exception, if any.</param>
    public SpectrumFormatException(string file, string reason, long? offset = null, int? line = null, Exception? inner = null)
        : base(OneLine.Of(Describe(file, OneLine.Of(reason, MaxMessageLength), offset, line), MaxMessageLength), inner)
    {
        File = file;
        Reason = OneLine.Of(reason, MaxMessageLength);
        Offset = offset;
        Line = line;
    }

    /// <summary>File or stream name, as given (the message shows it escaped).</summary>
    public string File { get; }

    /// <summary>Why the file could not be read: one printable line.</summary>
    public string Reason { get; }

    /// <summary>Byte offset of the problem, for binary formats.</summary>
    public long? Offset { get; }

    /// <summary>1-based line number of the problem, for text formats.</summary>
    public int? Line { get; }

    private static string Describe(string file, string reason, long? offset, int? line) =>
        (offset, line) switch
        {
            ({ } o, _) => $"{file}: at byte {o}: {reason}",
            (_, { } l) => $"{file}: line {l}: {reason}",
            _ => $"{file}: {reason}",
        };
}

/// <summary>A well-formed file holds data this product does not handle (NMR, mass spectra, NTUPLES).</summary>
public sealed class UnsupportedSpectrumException(string file, string reason, int? line = null)
    : SpectrumFormatException(file, reason, line: line);
