namespace MidirEdge.Spectra.Formats;

/// <summary>
/// How much one file may hold. A file past any limit is refused with a <see cref="SpectrumFormatException"/> that names
/// the limit, found while scanning and before anything is allocated for the data.
/// </summary>
/// <remarks>
/// <para>The limits are generous for real MIR files, whose largest spectra are interferograms of HTS-XT OPUS files
/// (about 29,500 points) and a gas-phase JCAMP-DX file of 56,417 points, and whose largest tables hold a few thousand
/// spectra of 2,000–4,000 wavenumbers (yamsys_dev.csv: 224 × 1,716 in 6.9 MB, lines of about 30 KB).</para>
/// <para>They bound what any file, however made, can cost: a read allocates the values it returns (at most
/// <see cref="MaxValues"/>, 256 MiB as doubles, and that only from a file at least a quarter that size) plus
/// at most a few times the file's own size; single spectra at most <see cref="MaxPoints"/> each (8 MiB as doubles).</para>
/// </remarks>
public static class SpectrumLimits
{
    /// <summary>Largest file accepted: 256 MiB.</summary>
    public const int MaxFileBytes = 256 * 1024 * 1024;

    /// <summary>Most points in one spectrum: 2^20 (1,048,576), 18 times the largest real file seen; millions of points is not a MIR spectrum.</summary>
    public const int MaxPoints = 1 << 20;

    /// <summary>Most spectra in one file (JCAMP-DX blocks, OPUS data blocks, rows of a CSV table): 2^16 (65,536).</summary>
    public const int MaxSpectra = 1 << 16;

    /// <summary>Most values of all spectra of one file together: 2^25 (33,554,432), e.g. 8,192 spectra of 4,096 points.</summary>
    public const int MaxValues = 1 << 25;

    /// <summary>Most metadata values of one CSV table (rows times non-spectral columns): 2^20 (1,048,576), e.g. 5,000 rows of 200 lab values.</summary>
    public const int MaxMetadataValues = 1 << 20;

    /// <summary>Most fields in one CSV record: 2^16 (65,536), more than 16 times a table of 4,000 wavenumbers.</summary>
    public const int MaxColumns = 1 << 16;

    /// <summary>Longest text line, CSV record or JCAMP-DX record value (over all its lines): 16 MiB.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    /// <summary>Refuses a file of more than <see cref="MaxFileBytes"/>.</summary>
    internal static void CheckFileSize(long length, string file)
    {
        if (length > MaxFileBytes)
            throw new SpectrumFormatException(file, Exceeded($"the file's size of {length} bytes", nameof(MaxFileBytes), MaxFileBytes));
    }

    /// <summary>The reason given when <paramref name="what"/> passes the limit <paramref name="name"/> of <paramref name="limit"/>.</summary>
    internal static string Exceeded(string what, string name, long limit) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what} is more than the {limit} of {nameof(SpectrumLimits)}.{name}");
}
