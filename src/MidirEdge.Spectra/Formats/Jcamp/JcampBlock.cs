using System.Collections.Immutable;
using System.Globalization;

namespace MidirEdge.Spectra.Formats.Jcamp;

/// <summary>The labelled data records of one JCAMP-DX block (from ##TITLE= to ##END=) and what they mean.</summary>
internal sealed class JcampBlock
{
    private static readonly string[] LongDateFormats =
    [
        "yyyy/MM/dd HH:mm:ss.FFFFFFFzzz", "yyyy/MM/dd HH:mm:ss.FFFFFFF zzz", "yyyy/MM/dd HH:mm:sszzz", "yyyy/MM/dd HH:mm:ss zzz",
        "yyyy/MM/dd HH:mm:ss.FFFFFFF", "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd HH:mm", "yyyy/MM/dd",
    ];

    private readonly Dictionary<string, string> _records = new(StringComparer.Ordinal);
    private readonly ImmutableDictionary<string, object>.Builder _parameters = ImmutableDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);

    /// <summary>Starts a block with its title.</summary>
    public JcampBlock(int index, string title)
    {
        Index = index;
        Title = title;
    }

    /// <summary>1-based position of the block in the file.</summary>
    public int Index { get; }

    /// <summary>The ##TITLE= text.</summary>
    public string Title { get; }

    /// <summary>Why this block holds data this reader does not handle (NMR, mass spectra, NTUPLES), or null.</summary>
    public string? Unsupported { get; private set; }

    /// <summary>The value of a record by its canonical label (see <see cref="JcampText.Canonical"/>), or null.</summary>
    public string? this[string name] => _records.GetValueOrDefault(name);

    /// <summary>Adds a record; the first of two records with the same label wins.</summary>
    public void Add(string label, string name, string value)
    {
        _records.TryAdd(name, value);
        _parameters.TryAdd(JcampText.Key(label), value);
        Unsupported ??= name switch
        {
            "DATATYPE" when value.Contains("NMR", StringComparison.OrdinalIgnoreCase) => $"##DATA TYPE={OneLine.Quote(value)}: NMR data is not supported",
            "DATATYPE" when value.Contains("MASS", StringComparison.OrdinalIgnoreCase) => $"##DATA TYPE={OneLine.Quote(value)}: mass spectra are not supported",
            "DATACLASS" when value.Contains("NTUPLES", StringComparison.OrdinalIgnoreCase) => "NTUPLES data is not supported",
            "NTUPLES" => $"##NTUPLES={OneLine.Quote(value)}: NTUPLES data is not supported",
            _ => null,
        };
    }

    /// <summary>A finite number from a record, or null when the record is missing or not a number.</summary>
    public double? Number(string name) =>
        this[name] is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;

    /// <summary>Builds the spectrum of this block from its decoded axes, with what the reader tolerated in its table, if anything.</summary>
    public Spectrum ToSpectrum(double[] x, double[] y, string file, string? warning)
    {
        var (xUnit, xLabel) = MapXUnit(this["XUNITS"]);
        var (yKind, yLabel) = MapYUnit(this["YUNITS"]);
        var metadata = new SpectrumMetadata
        {
            SampleName = NonEmpty(Title) ?? NonEmpty(this["NAMES"]),
            Instrument = NonEmpty(this["SPECTROMETERDATASYSTEM"]),
            AcquiredUtc = AcquisitionTime(),
            Resolution = Number("RESOLUTION"),
            SourceFile = file,
            Block = NonEmpty(this["BLOCKID"]) ?? Index.ToString(CultureInfo.InvariantCulture),
            XUnitLabel = xLabel,
            YUnitLabel = yLabel,
            Parameters = _parameters.ToImmutable(),
            Warnings = warning is null ? [] : [warning],
        };
        return Spectrum.Create(x, y, xUnit, yKind, metadata);
    }

    private static (XUnit Unit, string? Label) MapXUnit(string? text)
    {
        if (NonEmpty(text) is not { } units) return (XUnit.Other, null);
        return JcampText.Canonical(units) switch
        {
            "1CM" or "CM1" or "CM^1" or "WAVENUMBERS" => (XUnit.Wavenumber, null),
            "MICROMETERS" or "MICROMETRES" or "MICRONS" or "UM" => (XUnit.Micrometre, null),
            "NANOMETERS" or "NANOMETRES" or "NM" => (XUnit.Nanometre, null),
            _ => (XUnit.Other, units),
        };
    }

    private static (YKind Kind, string? Label) MapYUnit(string? text)
    {
        if (NonEmpty(text) is not { } units) return (YKind.Arbitrary, null);
        return JcampText.Canonical(units) switch
        {
            "TRANSMITTANCE" => (YKind.Transmittance, null),
            "ABSORBANCE" => (YKind.Absorbance, null),
            "A" => (YKind.Absorbance, units),
            "REFLECTANCE" => (YKind.Reflectance, null),
            "KUBELKAMUNK" => (YKind.KubelkaMunk, null),
            _ => (YKind.Arbitrary, units),
        };
    }

    /// <summary>##LONGDATE=, else ##DATE= (YY/MM/DD, YYYY/MM/DD or DD/MM/YYYY) with ##TIME=; times without a zone are taken as UTC.</summary>
    private DateTimeOffset? AcquisitionTime()
    {
        if (NonEmpty(this["LONGDATE"]) is { } longDate
            && DateTimeOffset.TryParseExact(longDate, LongDateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var stamp))
            return stamp.ToUniversalTime();
        if (NonEmpty(this["DATE"]) is not { } dateText || ParseDate(dateText) is not { } date) return null;
        var time = NonEmpty(this["TIME"]) is { } timeText
            && TimeSpan.TryParseExact(timeText, ["h\\:mm\\:ss\\.FFFFFFF", "h\\:mm\\:ss", "h\\:mm"], CultureInfo.InvariantCulture, out var t)
            && t < TimeSpan.FromDays(1)
                ? t
                : TimeSpan.Zero;
        return new DateTimeOffset(date.Add(time), TimeSpan.Zero);
    }

    private static DateTime? ParseDate(string text)
    {
        var parts = text.Split(['/', '-', '.'], StringSplitOptions.TrimEntries);
        if (parts.Length != 3) return null;
        Span<int> v = stackalloc int[3];
        for (var k = 0; k < 3; k++)
            if (parts[k].Length is 0 or > 4 || !int.TryParse(parts[k], NumberStyles.None, CultureInfo.InvariantCulture, out v[k])) return null;
        int year, month, day;
        if (parts[0].Length == 4) (year, month, day) = (v[0], v[1], v[2]);
        else if (parts[2].Length == 4) (year, month, day) = (v[2], v[1], v[0]);
        else (year, month, day) = (v[0] < 50 ? 2000 + v[0] : 1900 + v[0], v[1], v[2]);
        return year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc)
            : null;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
