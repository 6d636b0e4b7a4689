using System.Collections.Immutable;

namespace MidirEdge.Spectra;

/// <summary>Descriptive data that travels with a spectrum.</summary>
public sealed record SpectrumMetadata
{
    /// <summary>An empty metadata record.</summary>
    public static SpectrumMetadata Empty { get; } = new();

    /// <summary>Sample name as the instrument recorded it.</summary>
    public string? SampleName { get; init; }

    /// <summary>Instrument model or name.</summary>
    public string? Instrument { get; init; }

    /// <summary>Acquisition time in UTC.</summary>
    public DateTimeOffset? AcquiredUtc { get; init; }

    /// <summary>Nominal spectral resolution in x units (cm⁻¹ for wavenumber spectra).</summary>
    public double? Resolution { get; init; }

    /// <summary>File the spectrum was read from.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Block within the file (OPUS block name, JCAMP block index).</summary>
    public string? Block { get; init; }

    /// <summary>The x unit as text when it is none of the known <see cref="XUnit"/> values.</summary>
    public string? XUnitLabel { get; init; }

    /// <summary>The y unit as the file wrote it, when it says more than <see cref="YKind"/>.</summary>
    public string? YUnitLabel { get; init; }

    /// <summary>Free parameters: values are <see cref="long"/>, <see cref="double"/> or <see cref="string"/>; the readers never change them once made.</summary>
    public IReadOnlyDictionary<string, object> Parameters { get; init; } = ImmutableDictionary<string, object>.Empty;

    /// <summary>What the reader tolerated in the file to read this spectrum, one printable line each; empty for a clean file.</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];
}
