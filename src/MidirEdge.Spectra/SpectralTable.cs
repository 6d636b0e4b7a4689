using System.Collections.Immutable;

namespace MidirEdge.Spectra;

/// <summary>Many spectra on one shared x axis as a dense row-per-spectrum matrix, with per-row metadata columns.</summary>
public sealed class SpectralTable
{
    /// <summary>Creates a table that takes ownership of <paramref name="values"/> (rows must not be changed afterwards).</summary>
    /// <param name="x">The shared x axis.</param>
    /// <param name="values">One array of y values per row, each as long as <paramref name="x"/>.</param>
    /// <param name="rowIds">One identifier per row (null where there is none).</param>
    /// <param name="columns">Metadata columns, each with one value per row.</param>
    /// <param name="xUnit">Unit of <paramref name="x"/>.</param>
    /// <param name="yKind">What the values measure.</param>
    /// <param name="sourceFile">File the table was read from.</param>
    public SpectralTable(ImmutableArray<double> x, double[][] values, ImmutableArray<string?> rowIds, ImmutableArray<MetadataColumn> columns,
        XUnit xUnit, YKind yKind, string? sourceFile = null)
    {
        if (x.IsDefault) throw new ArgumentNullException(nameof(x));
        ArgumentNullException.ThrowIfNull(values);
        if (rowIds.IsDefault) throw new ArgumentNullException(nameof(rowIds));
        if (columns.IsDefault) throw new ArgumentNullException(nameof(columns));
        for (var i = 0; i < values.Length; i++)
            if (values[i]?.Length != x.Length)
                throw new ArgumentException($"row {i} has {values[i]?.Length ?? 0} values but x has {x.Length}.", nameof(values));
        if (rowIds.Length != values.Length)
            throw new ArgumentException($"{rowIds.Length} row ids for {values.Length} rows.", nameof(rowIds));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (column.Values.Length != values.Length)
                throw new ArgumentException($"column '{column.Name}' has {column.Values.Length} values for {values.Length} rows.", nameof(columns));
            if (!names.Add(column.Name))
                throw new ArgumentException($"column '{column.Name}' appears twice.", nameof(columns));
        }
        X = x;
        Values = values;
        RowIds = rowIds;
        Columns = columns;
        XUnit = xUnit;
        YKind = yKind;
        SourceFile = sourceFile;
    }

    /// <summary>The shared x axis.</summary>
    public ImmutableArray<double> X { get; }

    /// <summary>The y values, one array per row (rows × <see cref="X"/>.Length); treat as read-only.</summary>
    public double[][] Values { get; }

    /// <summary>Row identifiers (the first column of a wide CSV), null where there is none.</summary>
    public ImmutableArray<string?> RowIds { get; }

    /// <summary>Non-spectral columns, in file order.</summary>
    public ImmutableArray<MetadataColumn> Columns { get; }

    /// <summary>Unit of <see cref="X"/>.</summary>
    public XUnit XUnit { get; }

    /// <summary>What <see cref="Values"/> measure.</summary>
    public YKind YKind { get; }

    /// <summary>File the table was read from.</summary>
    public string? SourceFile { get; }

    /// <summary>Number of rows (spectra).</summary>
    public int RowCount => Values.Length;

    /// <summary>The metadata column with the given name.</summary>
    public MetadataColumn Column(string name)
    {
        foreach (var column in Columns)
            if (column.Name == name) return column;
        throw new ArgumentException($"no column '{name}' in the table.", nameof(name));
    }

    /// <summary>Row <paramref name="row"/> as a spectrum with a copy of its values; metadata as <see cref="RowMetadata"/> describes.</summary>
    public Spectrum SpectrumAt(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
        return new Spectrum(X, [.. Values[row]], XUnit, YKind, RowMetadata(row));
    }

    /// <summary>Metadata of a row: sample name and block are the row id; parameters are the row's non-missing metadata values.</summary>
    public SpectrumMetadata RowMetadata(int row)
    {
        var parameters = ImmutableDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
        foreach (var column in Columns)
            if (column.Values[row] is { } value) parameters[column.Name] = value;
        return new SpectrumMetadata
        {
            SampleName = RowIds[row],
            Block = RowIds[row],
            SourceFile = SourceFile,
            Parameters = parameters.ToImmutable(),
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{RowCount} spectra × {X.Length} points, {Columns.Length} metadata columns";
}
