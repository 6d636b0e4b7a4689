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
    /// <remarks>
    /// The bytes are read in place, twice: a first pass checks the records' shape and counts them against
    /// <see cref="SpectrumLimits"/>, so that the table is then allocated once, at its size, and filled by the second.
    /// </remarks>
    /// <param name="data">The file's bytes (UTF-8, optional byte-order mark).</param>
    /// <param name="file">File name for error messages and metadata.</param>
    /// <param name="options">Units, delimiter and decimal mark; <see cref="CsvReadOptions.Default"/> when null.</param>
    public static SpectralTable ReadTable(ReadOnlySpan<byte> data, string file, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        options ??= CsvReadOptions.Default;
        if (options.Delimiter is '"' or '\r' or '\n' or '#' || options.Delimiter is { } d && !char.IsAscii(d))
            throw new ArgumentException($"'{options.Delimiter}' cannot be a delimiter.", nameof(options));
        if (options.Delimiter == ',' && options.DecimalComma == true)
            throw new ArgumentException("a decimal comma needs a delimiter other than comma.", nameof(options));
        SpectrumLimits.CheckFileSize(data.Length, file);

        var bom = data.StartsWith("\uFEFF"u8) ? 3 : 0;
        data = data[bom..];
        var nul = data.IndexOf((byte)0);
        if (nul >= 0) throw new SpectrumFormatException(file, "a NUL byte: binary data (or UTF-16 text), not UTF-8 CSV text", offset: bom + nul);
        var delimiter = options.Delimiter is { } chosen ? (byte)chosen : CsvRecordReader.DetectDelimiter(data);
        var decimalComma = options.DecimalComma ?? (delimiter != ',' && UsesDecimalComma(new CsvRecordReader(data, file, delimiter)));
        var parser = new NumberParser(decimalComma);

        var header = new CsvRecordReader(data, file, delimiter);
        if (!header.MoveNext()) throw new SpectrumFormatException(file, "no data: the file is empty or holds only comments");
        var columns = header.Count;
        if (columns < 2)
            throw new SpectrumFormatException(file, $"expected at least two columns separated by '{Describe((char)delimiter)}'", line: header.Line);
        var hasHeader = false;
        for (var c = 0; c < columns && !hasHeader; c++) hasHeader = !parser.TryParse(header[c], out _);
        var spectral = new List<int>();
        if (hasHeader)
        {
            for (var c = 0; c < columns; c++)
                if (parser.TryParse(header[c], out _)) spectral.Add(c);
        }
        var table = new Layout(data, file, delimiter, parser, options, header.Line, hasHeader);
        if (spectral.Count >= 2) return ReadWide(table, ref header, spectral);
        if (columns == 2) return ReadTwoColumns(table);
        throw new SpectrumFormatException(file, hasHeader
            ? $"{columns} columns but fewer than two numeric (x value) headers: expected x,y columns or a wide table with one spectrum per row"
            : $"{columns} columns without a header: expected x,y columns or a header row whose numeric names are x values",
            line: header.Line);
    }

    private static SpectralTable ReadTwoColumns(in Layout table)
    {
        var count = 0;
        for (var rows = table.Rows(); rows.MoveNext();)
        {
            if (rows.Count != 2) throw Ragged(table.File, rows.Count, 2, rows.Line);
            if (++count > SpectrumLimits.MaxPoints)
                throw new SpectrumFormatException(table.File,
                    SpectrumLimits.Exceeded("the number of x,y rows", nameof(SpectrumLimits.MaxPoints), SpectrumLimits.MaxPoints), line: rows.Line);
        }
        if (count == 0) throw new SpectrumFormatException(table.File, "header but no data rows", line: table.HeaderLine);

        var x = new double[count];
        var y = new double[count];
        var reader = table.Rows();
        for (var i = 0; i < count && reader.MoveNext(); i++)
        {
            x[i] = table.Parser.Parse(reader[0], table.File, reader.Line);
            y[i] = table.Parser.Parse(reader[1], table.File, reader.Line);
        }
        return new SpectralTable(ImmutableCollectionsMarshal.AsImmutableArray(x), [y], [null], [], table.Options.XUnit, table.Options.YKind, table.File);
    }

    private static SpectralTable ReadWide(in Layout table, ref CsvRecordReader header, List<int> spectral)
    {
        var file = table.File;
        var columns = header.Count;
        var x = new double[spectral.Count];
        for (var j = 0; j < x.Length; j++) table.Parser.TryParse(header[spectral[j]], out x[j]);
        var metadataIndices = new List<int>();
        var metadataNames = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0, s = 0; c < columns; c++)
        {
            if (s < spectral.Count && spectral[s] == c) { s++; continue; }
            var name = Encoding.UTF8.GetString(header[c]);
            if (!names.Add(name)) throw new SpectrumFormatException(file, $"column {OneLine.Quote(name)} appears twice", line: table.HeaderLine);
            metadataIndices.Add(c);
            metadataNames.Add(name);
        }

        var rowCount = 0;
        for (var rows = table.Rows(); rows.MoveNext();)
        {
            if (rows.Count != columns) throw Ragged(file, rows.Count, columns, rows.Line);
            rowCount++;
            if (rowCount > SpectrumLimits.MaxSpectra)
                throw new SpectrumFormatException(file, SpectrumLimits.Exceeded("the number of rows", nameof(SpectrumLimits.MaxSpectra), SpectrumLimits.MaxSpectra), line: rows.Line);
            if ((long)rowCount * spectral.Count > SpectrumLimits.MaxValues)
                throw new SpectrumFormatException(file, SpectrumLimits.Exceeded("the number of spectral values", nameof(SpectrumLimits.MaxValues), SpectrumLimits.MaxValues), line: rows.Line);
            if ((long)rowCount * metadataIndices.Count > SpectrumLimits.MaxMetadataValues)
                throw new SpectrumFormatException(file, SpectrumLimits.Exceeded("the number of metadata values", nameof(SpectrumLimits.MaxMetadataValues), SpectrumLimits.MaxMetadataValues), line: rows.Line);
        }
        if (rowCount == 0) throw new SpectrumFormatException(file, "header but no data rows", line: table.HeaderLine);

        var values = new double[rowCount][];
        var metadata = new object?[metadataIndices.Count][];
        for (var m = 0; m < metadata.Length; m++) metadata[m] = new object?[rowCount];
        var rowIds = new string?[rowCount];
        var idColumn = metadataIndices.Count > 0 && metadataIndices[0] == 0;
        var reader = table.Rows();
        for (var r = 0; r < rowCount && reader.MoveNext(); r++)
        {
            var row = new double[spectral.Count];
            for (var j = 0; j < row.Length; j++)
            {
                var field = reader[spectral[j]];
                if (field.IsEmpty) throw NoValue(table, spectral[j], reader.Line);
                row[j] = table.Parser.Parse(field, file, reader.Line);
            }
            values[r] = row;
            for (var m = 0; m < metadata.Length; m++) metadata[m][r] = table.Parser.MetadataValue(reader[metadataIndices[m]]);
            if (idColumn && reader[0] is { IsEmpty: false } id) rowIds[r] = metadata[0][r] as string ?? Encoding.UTF8.GetString(id);
        }

        var metadataColumns = new MetadataColumn[metadata.Length];
        for (var m = 0; m < metadataColumns.Length; m++)
            metadataColumns[m] = new MetadataColumn(metadataNames[m], ImmutableCollectionsMarshal.AsImmutableArray(metadata[m]));
        return new SpectralTable(ImmutableCollectionsMarshal.AsImmutableArray(x), values, ImmutableCollectionsMarshal.AsImmutableArray(rowIds),
            ImmutableCollectionsMarshal.AsImmutableArray(metadataColumns), table.Options.XUnit, table.Options.YKind, file);
    }

    /// <summary>The error for an empty spectral field; reads the header again for the column's name.</summary>
    private static SpectrumFormatException NoValue(in Layout table, int column, int line)
    {
        var header = table.Header();
        return new SpectrumFormatException(table.File, $"no value in spectral column {OneLine.Quote(header[column])}", line: line);
    }

    /// <summary>True when a field of the first records looks like "1,234": digits around a comma and no point.</summary>
    private static bool UsesDecimalComma(CsvRecordReader records)
    {
        var plain = new NumberParser(decimalComma: false);
        var comma = new NumberParser(decimalComma: true);
        for (var r = 0; r < DecimalCommaProbeRecords && records.MoveNext(); r++)
        {
            for (var c = 0; c < records.Count; c++)
            {
                var field = records[c];
                if (field.Contains((byte)',') && !field.Contains((byte)'.') && !plain.TryParse(field, out _) && comma.TryParse(field, out _))
                    return true;
            }
        }
        return false;
    }

    private static SpectrumFormatException Ragged(string file, int found, int expected, int line) =>
        new(file, $"{found} fields where the first row has {expected}", line: line);

    private static string Describe(char delimiter) => delimiter == '\t' ? "\\t" : delimiter.ToString();

    /// <summary>What the header says about a file: how to read its records again from the start or from after the header.</summary>
    private readonly ref struct Layout(ReadOnlySpan<byte> data, string file, byte delimiter, NumberParser parser, CsvReadOptions options, int headerLine, bool hasHeader)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public string File { get; } = file;

        public NumberParser Parser { get; } = parser;

        public CsvReadOptions Options { get; } = options;

        public int HeaderLine { get; } = headerLine;

        /// <summary>A reader on the header record.</summary>
        public CsvRecordReader Header()
        {
            var reader = new CsvRecordReader(_data, File, delimiter);
            reader.MoveNext();
            return reader;
        }

        /// <summary>A reader before the first data record (the first record, when there is no header).</summary>
        public CsvRecordReader Rows()
        {
            var reader = new CsvRecordReader(_data, File, delimiter);
            if (hasHeader) reader.MoveNext();
            return reader;
        }
    }

    /// <summary>Parses UTF-8 numbers with a point or, if asked, a comma as decimal mark; only finite values count.</summary>
    private readonly struct NumberParser(bool decimalComma)
    {
        private const int StackBytes = 128;

        public bool TryParse(ReadOnlySpan<byte> field, out double value)
        {
            if (decimalComma && field.Contains((byte)','))
            {
                Span<byte> copy = field.Length <= StackBytes ? stackalloc byte[StackBytes] : new byte[field.Length];
                copy = copy[..field.Length];
                field.CopyTo(copy);
                copy.Replace((byte)',', (byte)'.');
                return double.TryParse(copy, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
            }
            return double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        }

        public double Parse(ReadOnlySpan<byte> field, string file, int line) =>
            TryParse(field, out var value)
                ? value
                : throw new SpectrumFormatException(file, field.IsEmpty ? "empty field where a number is needed" : $"{OneLine.Quote(field)} is not a number", line: line);

        /// <summary>Null for empty, NA or NaN; a double when the field is a number; else the text.</summary>
        public object? MetadataValue(ReadOnlySpan<byte> field)
        {
            if (field.IsEmpty || field.SequenceEqual("NA"u8) || Ascii.EqualsIgnoreCase(field, "NaN"u8)) return null;
            return TryParse(field, out var value) ? value : Encoding.UTF8.GetString(field);
        }
    }
}
