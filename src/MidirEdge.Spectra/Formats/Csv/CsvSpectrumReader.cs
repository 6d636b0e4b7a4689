using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace MidirEdge.Spectra.Formats.Csv;

/// <summary>
/// Reads spectra from CSV/TSV text: two-column x,y files (header optional) and wide tables with one spectrum
/// per row, whose numeric headers are the x values and whose other columns are metadata.
/// </summary>
public static class CsvSpectrumReader
{
    private const int DecimalCommaProbeRecords = 5;

    /// <summary>Reads every spectrum in the file: one for an x,y file, one per row for a wide table.</summary>
    /// <param name="data">The file's bytes (UTF-8, optional byte-order mark).</param>
    /// <param name="file">File name for error messages and metadata.</param>
    /// <param name="options">Units, delimiter and decimal mark; <see cref="CsvReadOptions.Default"/> when null.</param>
    public static IReadOnlyList<Spectrum> Read(ReadOnlySpan<byte> data, string file, CsvReadOptions? options = null)
    {
        var table = ReadTable(data, file, options);
        var spectra = new Spectrum[table.RowCount];
        for (var row = 0; row < spectra.Length; row++)
            spectra[row] = new Spectrum(table.X, ImmutableCollectionsMarshal.AsImmutableArray(table.Values[row]), table.XUnit, table.YKind, table.RowMetadata(row));
        return spectra;
    }

    /// <summary>Reads the file as a table: shared x axis, dense values (one row per spectrum) and metadata columns.</summary>
    /// <param name="data">The file's bytes (UTF-8, optional byte-order mark).</param>
    /// <param name="file">File name for error messages and metadata.</param>
    /// <param name="options">Units, delimiter and decimal mark; <see cref="CsvReadOptions.Default"/> when null.</param>
    public static SpectralTable ReadTable(ReadOnlySpan<byte> data, string file, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        options ??= CsvReadOptions.Default;
        if (options.Delimiter is '"' or '\r' or '\n' or '#')
            throw new ArgumentException($"'{options.Delimiter}' cannot be a delimiter.", nameof(options));
        if (options.Delimiter == ',' && options.DecimalComma == true)
            throw new ArgumentException("a decimal comma needs a delimiter other than comma.", nameof(options));

        if (data.StartsWith("\uFEFF"u8)) data = data[3..];
        var text = Encoding.UTF8.GetString(data);
        var delimiter = options.Delimiter ?? CsvRecordReader.DetectDelimiter(text);
        var records = ReadRecords(text, file, delimiter);
        if (records.Count == 0) throw new SpectrumFormatException(file, "no data: the file is empty or holds only comments");

        var decimalComma = options.DecimalComma ?? (delimiter != ',' && UsesDecimalComma(records));
        var parser = new NumberParser(decimalComma);
        var (header, headerLine) = records[0];
        if (header.Length < 2)
            throw new SpectrumFormatException(file, $"expected at least two columns separated by '{Describe(delimiter)}'", line: headerLine);

        var hasHeader = Array.Exists(header, field => !parser.TryParse(field, out _));
        var spectral = new List<int>();
        if (hasHeader)
        {
            for (var c = 0; c < header.Length; c++)
                if (parser.TryParse(header[c], out _)) spectral.Add(c);
        }
        if (spectral.Count >= 2) return ReadWide(records, spectral, parser, file, options);
        if (header.Length == 2) return ReadTwoColumns(records, hasHeader ? 1 : 0, parser, file, options);
        throw new SpectrumFormatException(file, hasHeader
            ? $"{header.Length} columns but fewer than two numeric (x value) headers: expected x,y columns or a wide table with one spectrum per row"
            : $"{header.Length} columns without a header: expected x,y columns or a header row whose numeric names are x values",
            line: headerLine);
    }

    private static SpectralTable ReadTwoColumns(List<(string[] Fields, int Line)> records, int first, NumberParser parser, string file, CsvReadOptions options)
    {
        var count = records.Count - first;
        if (count == 0) throw new SpectrumFormatException(file, "header but no data rows", line: records[0].Line);
        var x = new double[count];
        var y = new double[count];
        for (var i = 0; i < count; i++)
        {
            var (fields, line) = records[first + i];
            if (fields.Length != 2) throw Ragged(file, fields.Length, 2, line);
            x[i] = parser.Parse(fields[0], file, line);
            y[i] = parser.Parse(fields[1], file, line);
        }
        return new SpectralTable(ImmutableArray.Create(x), [y], [null], [], options.XUnit, options.YKind, file);
    }

    private static SpectralTable ReadWide(List<(string[] Fields, int Line)> records, List<int> spectral, NumberParser parser, string file, CsvReadOptions options)
    {
        var (header, headerLine) = records[0];
        var rows = records.Count - 1;
        if (rows == 0) throw new SpectrumFormatException(file, "header but no data rows", line: headerLine);

        var x = new double[spectral.Count];
        for (var j = 0; j < x.Length; j++) parser.TryParse(header[spectral[j]], out x[j]);
        var metadataIndices = new List<int>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0, s = 0; c < header.Length; c++)
        {
            if (s < spectral.Count && spectral[s] == c) { s++; continue; }
            if (!names.Add(header[c])) throw new SpectrumFormatException(file, $"column {MessageText.Quote(header[c])} appears twice", line: headerLine);
            metadataIndices.Add(c);
        }

        var values = new double[rows][];
        var metadata = new object?[metadataIndices.Count][];
        for (var m = 0; m < metadata.Length; m++) metadata[m] = new object?[rows];
        var rowIds = new string?[rows];
        var idColumn = metadataIndices.Count > 0 && metadataIndices[0] == 0;
        for (var r = 0; r < rows; r++)
        {
            var (fields, line) = records[r + 1];
            if (fields.Length != header.Length) throw Ragged(file, fields.Length, header.Length, line);
            var row = new double[spectral.Count];
            for (var j = 0; j < row.Length; j++)
            {
                var field = fields[spectral[j]];
                if (field.Length == 0)
                    throw new SpectrumFormatException(file, $"no value in spectral column {MessageText.Quote(header[spectral[j]])}", line: line);
                row[j] = parser.Parse(field, file, line);
            }
            values[r] = row;
            for (var m = 0; m < metadata.Length; m++) metadata[m][r] = parser.MetadataValue(fields[metadataIndices[m]]);
            if (idColumn && fields[0].Length > 0) rowIds[r] = fields[0];
        }

        var columns = new MetadataColumn[metadata.Length];
        for (var m = 0; m < columns.Length; m++)
            columns[m] = new MetadataColumn(header[metadataIndices[m]], ImmutableArray.Create(metadata[m]));
        return new SpectralTable(ImmutableArray.Create(x), values, ImmutableArray.Create(rowIds), ImmutableArray.Create(columns),
            options.XUnit, options.YKind, file);
    }

    private static List<(string[] Fields, int Line)> ReadRecords(string text, string file, char delimiter)
    {
        var reader = new CsvRecordReader(text, file, delimiter);
        var records = new List<(string[], int)>();
        var fields = new List<string>();
        while (reader.Next(fields, out var line)) records.Add((fields.ToArray(), line));
        return records;
    }

    /// <summary>True when a field of the first records looks like "1,234": digits around a comma and no point.</summary>
    private static bool UsesDecimalComma(List<(string[] Fields, int Line)> records)
    {
        var plain = new NumberParser(decimalComma: false);
        var comma = new NumberParser(decimalComma: true);
        for (var r = 0; r < Math.Min(records.Count, DecimalCommaProbeRecords); r++)
            foreach (var field in records[r].Fields)
                if (field.Contains(',') && !field.Contains('.') && !plain.TryParse(field, out _) && comma.TryParse(field, out _))
                    return true;
        return false;
    }

    private static SpectrumFormatException Ragged(string file, int found, int expected, int line) =>
        new(file, $"{found} fields where the first row has {expected}", line: line);

    private static string Describe(char delimiter) => delimiter == '\t' ? "\\t" : delimiter.ToString();

    /// <summary>Parses numbers with a point or, if asked, a comma as decimal mark; only finite values count.</summary>
    private readonly struct NumberParser(bool decimalComma)
    {
        public bool TryParse(string field, out double value)
        {
            var text = decimalComma && field.Contains(',') ? field.Replace(',', '.') : field;
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        }

        public double Parse(string field, string file, int line) =>
            TryParse(field, out var value)
                ? value
                : throw new SpectrumFormatException(file, field.Length == 0 ? "empty field where a number is needed" : $"{MessageText.Quote(field)} is not a number", line: line);

        /// <summary>Null for empty, NA or NaN; a double when the field is a number; else the text.</summary>
        public object? MetadataValue(string field)
        {
            if (field.Length == 0 || field == "NA" || field.Equals("NaN", StringComparison.OrdinalIgnoreCase)) return null;
            return TryParse(field, out var value) ? value : field;
        }
    }
}
