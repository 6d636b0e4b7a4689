namespace MidirEdge.Spectra;

/// <summary>A file could not be read as a spectrum; says which file, where, and why.</summary>
public class SpectrumFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">File or stream name.</param>
    /// <param name="reason">Why it could not be read.</param>
    /// <param name="offset">Byte offset of the problem, for binary formats.</param>
    /// <param name="line">1-based line number of the problem, for text formats.</param>
    /// <param name="inner">Underlying exception, if any.</param>
    public SpectrumFormatException(string file, string reason, long? offset = null, int? line = null, Exception? inner = null)
        : base(Describe(file, reason, offset, line), inner)
    {
        File = file;
        Reason = reason;
        Offset = offset;
        Line = line;
    }

    /// <summary>File or stream name.</summary>
    public string File { get; }

    /// <summary>Why the file could not be read.</summary>
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
