namespace MidirEdge.Spectra.Formats;

/// <summary>File formats the readers understand.</summary>
public enum SpectrumFormat
{
    /// <summary>Bruker OPUS binary.</summary>
    Opus,
    /// <summary>JCAMP-DX text.</summary>
    Jcamp,
    /// <summary>Delimited text: two-column x,y or one spectrum per row.</summary>
    Csv,
}
