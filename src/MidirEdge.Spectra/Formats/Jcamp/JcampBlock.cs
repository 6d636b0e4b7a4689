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

    private static readonly string[] TimeFormats = ["h\\:mm\\:ss\\.FFFFFFF", "h\\:mm\\:ss", "h\\:mm"];

    private const int UnitChars = 64;

    // The records this class and the reader interpret, each in its own slot; every record is also kept as a parameter.
    private const int Slots = 14;
    private readonly string?[] _records = new string?[Slots];
    // A plain dictionary handed out read-only: an immutable one cost about a tenth of a small file's read to build.
    private readonly Dictionary<string, object> _parameters = new(StringComparer.Ordinal);

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

    /// <summary>The value of an interpreted record (such as NPOINTS or XUNITS) by its canonical label (see <see cref="JcampText.Canonical"/>), or null.</summary>
    public string? this[string name] => Slot(name) is >= 0 and var slot
        ? _records[slot]
        : throw new ArgumentOutOfRangeException(nameof(name), name, "not a record this reader interprets");

    /// <summary>Adds a record by its label in key form (see <see cref="JcampText.KeyOf"/>) and canonical label; the first of two records with the same label wins.</summary>
    /// <remarks>Once the block is known to be unsupported, records are dropped: it never becomes a spectrum.</remarks>
    public void Add(ReadOnlySpan<char> key, ReadOnlySpan<char> name, string value)
    {
        if (Unsupported is not null) return;
        if (Slot(name) is >= 0 and var slot) _records[slot] ??= value;
        _parameters.TryAdd(JcampText.Key(key), value);
        Unsupported ??= name switch
        {
            "DATATYPE" when value.Contains("NMR", StringComparison.OrdinalIgnoreCase) => $"##DATA TYPE={OneLine.Quote(value)}: NMR data is not supported",
            "DATATYPE" when value.Contains("MASS", StringComparison.OrdinalIgnoreCase) => $"##DATA TYPE={OneLine.Quote(value)}: mass spectra are not supported",
            "DATACLASS" when value.Contains("NTUPLES", StringComparison.OrdinalIgnoreCase) => "NTUPLES data is not supported",
            "NTUPLES" => $"##NTUPLES={OneLine.Quote(value)}: NTUPLES data is not supported",
            _ => null,
        };
    }

    /// <summary>Where an interpreted record is kept, or -1 for the records that are only parameters.</summary>
    private static int Slot(ReadOnlySpan<char> name) => name switch
    {
        "NPOINTS" => 0,
        "FIRSTX" => 1,
        "LASTX" => 2,
        "XFACTOR" => 3,
        "YFACTOR" => 4,
        "XUNITS" => 5,
        "YUNITS" => 6,
        "NAMES" => 7,
        "SPECTROMETERDATASYSTEM" => 8,
        "RESOLUTION" => 9,
        "BLOCKID" => 10,
        "LONGDATE" => 11,
        "DATE" => 12,
        "TIME" => 13,
        _ => -1,
    };

    /// <summary>A finite number from a record, or null when the record is missing or not a number.</summary>
    public double? Number(string name) =>
        this[name] is { } text && JcampNumbers.TryParseText(text, out var value) && double.IsFinite(value)
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
            Parameters = _parameters.AsReadOnly(),
            Warnings = warning is null ? [] : [warning],
        };
        return Spectrum.Create(x, y, xUnit, yKind, metadata);
    }

    private static (XUnit Unit, string? Label) MapXUnit(string? text)
    {
        if (NonEmpty(text) is not { } units) return (XUnit.Other, null);
        var chars = units.Length <= UnitChars ? stackalloc char[UnitChars] : new char[units.Length];
        return JcampText.Canonical(units, chars) switch
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
        var chars = units.Length <= UnitChars ? stackalloc char[UnitChars] : new char[units.Length];
        return JcampText.Canonical(units, chars) switch
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
            && TimeSpan.TryParseExact(timeText, TimeFormats, CultureInfo.InvariantCulture, out var t)
            && t < TimeSpan.FromDays(1)
                ? t
                : TimeSpan.Zero;
        return new DateTimeOffset(date.Add(time), TimeSpan.Zero);
    }

    private static DateTime? ParseDate(ReadOnlySpan<char> text)
    {
        // One range more than a date has, so that a fourth part is seen and refused.
        Span<Range> ranges = stackalloc Range[4];
        if (text.SplitAny(ranges, "/-.") != 3) return null;
        Span<int> v = stackalloc int[3];
        Span<int> lengths = stackalloc int[3];
        for (var k = 0; k < 3; k++)
        {
            var part = text[ranges[k]].Trim();
            lengths[k] = part.Length;
            if (part.Length is 0 or > 4 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out v[k])) return null;
        }
        int year, month, day;
        if (lengths[0] == 4) (year, month, day) = (v[0], v[1], v[2]);
        else if (lengths[2] == 4) (year, month, day) = (v[2], v[1], v[0]);
        else (year, month, day) = (v[0] < 50 ? 2000 + v[0] : 1900 + v[0], v[1], v[2]);
        return year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc)
            : null;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
