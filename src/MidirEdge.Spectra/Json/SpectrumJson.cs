using System.Text.Json;

namespace MidirEdge.Spectra.Json;

/// <summary>Writes spectra as JSON objects of the documented shape: name, xUnit, yKind, x, y, metadata.</summary>
public static class SpectrumJson
{
    /// <summary>The JSON name of an x unit ("cm-1", "um", "nm", "points", or the file's own label).</summary>
    public static string Name(XUnit unit, string? label = null) => unit switch
    {
        XUnit.Wavenumber => "cm-1",
        XUnit.Micrometre => "um",
        XUnit.Nanometre => "nm",
        XUnit.Points => "points",
        _ => label ?? "other",
    };

    /// <summary>The JSON name of a y kind ("absorbance", "single-channel", …).</summary>
    public static string Name(YKind kind) => kind switch
    {
        YKind.Absorbance => "absorbance",
        YKind.Transmittance => "transmittance",
        YKind.Reflectance => "reflectance",
        YKind.SingleChannel => "single-channel",
        YKind.Interferogram => "interferogram",
        YKind.KubelkaMunk => "kubelka-munk",
        _ => "arbitrary",
    };

    /// <summary>Writes one spectrum; <paramref name="name"/> is its block name or index.</summary>
    public static void Write(Utf8JsonWriter writer, Spectrum spectrum, string name)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("xUnit", Name(spectrum.XUnit, spectrum.Metadata.XUnitLabel));
        writer.WriteString("yKind", Name(spectrum.YKind));
        WriteArray(writer, "x", spectrum.X.AsSpan());
        WriteArray(writer, "y", spectrum.Y.AsSpan());
        writer.WritePropertyName("metadata");
        WriteMetadata(writer, spectrum.Metadata);
        writer.WriteEndObject();
    }

    /// <summary>Writes the metadata object; absent values are left out.</summary>
    public static void WriteMetadata(Utf8JsonWriter writer, SpectrumMetadata metadata)
    {
        writer.WriteStartObject();
        WriteIfPresent(writer, "sampleName", metadata.SampleName);
        WriteIfPresent(writer, "instrument", metadata.Instrument);
        if (metadata.AcquiredUtc is { } acquired)
            writer.WriteString("acquiredUtc", acquired.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"));
        if (metadata.Resolution is { } resolution) WriteNumber(writer, "resolution", resolution);
        WriteIfPresent(writer, "sourceFile", metadata.SourceFile);
        WriteIfPresent(writer, "block", metadata.Block);
        WriteIfPresent(writer, "yUnit", metadata.YUnitLabel);
        if (!metadata.Warnings.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("warnings");
            foreach (var warning in metadata.Warnings) writer.WriteStringValue(warning);
            writer.WriteEndArray();
        }
        writer.WriteStartObject("parameters");
        foreach (var (key, value) in metadata.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            switch (value)
            {
                case long l: writer.WriteNumber(key, l); break;
                case int i: writer.WriteNumber(key, i); break;
                case double d: WriteNumber(writer, key, d); break;
                default: writer.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, ReadOnlySpan<double> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            if (double.IsFinite(v)) writer.WriteNumberValue(v);
            else writer.WriteNullValue();
        }
        writer.WriteEndArray();
    }

    // JSON has no NaN or infinity: such values are written as null.
    private static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null) writer.WriteString(name, value);
    }
}
