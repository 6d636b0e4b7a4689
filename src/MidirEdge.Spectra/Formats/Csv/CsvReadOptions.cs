namespace MidirEdge.Spectra.Formats.Csv;

/// <summary>What a CSV/TSV file cannot say about itself: units, and optionally its delimiter and decimal mark.</summary>
public sealed record CsvReadOptions
{
    /// <summary>Wavenumber x, absorbance y, delimiter and decimal mark detected from the file.</summary>
    public static CsvReadOptions Default { get; } = new();

    /// <summary>Unit of the x values (the numeric headers of a wide table, or the first column of an x,y file).</summary>
    public XUnit XUnit { get; init; } = XUnit.Wavenumber;

    /// <summary>What the y values measure.</summary>
    public YKind YKind { get; init; } = YKind.Absorbance;

    /// <summary>Field delimiter, an ASCII character; <see langword="null"/> detects tab, semicolon or comma from the first line.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Whether numbers use a decimal comma; <see langword="null"/> detects it (only possible with tab or semicolon delimiters).</summary>
    public bool? DecimalComma { get; init; }
}
